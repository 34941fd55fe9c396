import type { AppSpec } from '../../protocol/api.js';
import type { ApiClient } from '../../protocol/client/api-client.js';
import { CodesyncError, isCodesyncError } from '../../protocol/errors.js';
import { validateMeta } from '../../protocol/manifest.js';
import { clientFrom, interruptSignal } from '../client-flags.js';
import type { PublishFlags } from '../publish/publish-options.js';
import { reportFailure, usageError } from '../fail.js';
import { formatBytes, Progress } from '../progress.js';
import type { PublishResult } from '../publish/publish-result.js';
import type { PublishTreeOptions } from '../publish/publish-tree.js';
import { UPLOAD_DEFAULTS } from '../publish/upload-blobs.js';
import { withRetry } from '../retry.js';
import { raiseTieringBudget } from '../../protocol/runtime/tiering-budget.js';

/** `codesync publish SOURCE`. */
export async function runPublish(source: string, flags: PublishFlags): Promise<void> {
  // A cold publish is the CLI's one big job, right after its start: V8 optimized a few hundred
  // functions for it on its background threads, which the hash workers needed (docs in the module).
  raiseTieringBudget();
  const meta = validateMeta(flags.meta);
  if (flags.create && flags.selector === undefined) throw usageError("--create needs --selector S ('' selects every node)");
  if (!flags.create && flags.selector !== undefined) throw usageError('--selector applies only with --create; change an app with `codesync apps set`');
  const create = flags.create ? { nodeSelector: flags.selector ?? '' } : undefined;
  if (flags.wait && flags.watch) throw usageError('--wait and --watch do not go together: --watch never finishes');
  if (flags.changedFrom !== undefined && flags.watch) throw usageError('--changed-from and --watch do not go together: --watch sees the changes itself');
  if (flags.changedFrom !== undefined && /^rsync:\/\//i.test(source)) throw usageError('--changed-from needs a directory, not an rsync:// source');
  // Read once, before any retry: stdin can be read only once.
  const changedPaths = flags.changedFrom === undefined ? undefined : (await import('../publish/changed-paths.js')).readChangedList(flags.changedFrom);
  const progress = new Progress(flags.progress);
  const signal = interruptSignal();
  const client = await clientFrom(flags, Math.max(flags.uploadConcurrency ?? UPLOAD_DEFAULTS.concurrency, 1) + 1);
  try {
    if (/^rsync:\/\//i.test(source)) {
      if (flags.watch) throw usageError('--watch needs a directory, not an rsync:// source');
      if (flags.signKey) throw usageError('--sign-key signs a tree this command hashes; an rsync:// import is hashed by the server');
      // An import reads the app's spec before it runs, so --create makes the app first.
      if (create) await createIfMissing(client, flags.app, create, signal);
      const seq = await importSource(client, flags.app, source, meta, flags.json === true, signal);
      if (flags.wait && seq !== undefined) await waitAfterPublish(client, flags, seq, progress, signal);
      return;
    }
    const options: PublishTreeOptions = {
      dir: source, app: flags.app, meta, cacheFile: flags.cache, hashThreads: flags.concurrency,
      uploadConcurrency: flags.uploadConcurrency, create, signal, progress, exclude: flags.exclude,
      signKey: flags.signKey ? await (await import('../publish/sign-key.js')).readSigningKey(flags.signKey) : undefined,
    };
    if (!flags.watch) {
      const result = await withRetry(() => publishDir(client, options, changedPaths), { retryTimeoutMs: flags.retryTimeout, signal, onRetry: retryNotice(progress) });
      printResult(result, flags.json === true);
      if (flags.wait) await waitAfterPublish(client, flags, result.seq, progress, signal);
      return;
    }
    // chokidar is loaded only when watching: a one-shot publish should not pay for it.
    const { watchTree } = await import('../publish/watch-tree.js');
    await watchTree(source, () => publishOnceWatching(client, options, flags.json === true), {
      debounceMs: flags.debounce,
      signal,
      exclude: flags.exclude,
      ...(flags.cache ? { ignore: (path: string) => path.startsWith(flags.cache as string) } : {}),
    });
  } finally {
    await client.close();
  }
}

/** One stderr line per retry, so a CI log shows why the publish is slow (unless --progress none). */
function retryNotice(progress: Progress): (err: Error, delayMs: number) => void {
  return (err, delayMs) => progress.line(`${err.message}; retrying in ${(delayMs / 1000).toFixed(1)} s`);
}

/**
 * DIR published: from `changedPaths` over the tree last published from here when they can say
 * what changed (publish-listed.ts), else walked whole. Each way loads only its own modules: a
 * listed publish never loads the walk's and the hashing threads' (~30 ms of its start).
 */
async function publishDir(client: ApiClient, options: PublishTreeOptions, changedPaths: readonly string[] | undefined): Promise<PublishResult> {
  if (changedPaths) {
    const { publishListed } = await import('../publish/publish-listed.js');
    const listed = await publishListed(client, options, changedPaths);
    if (!('walk' in listed)) return listed;
    options.progress?.clear();
    process.stderr.write(`codesync: --changed-from not used, the whole tree is walked: ${listed.walk}\n`);
  }
  const { publishTree } = await import('../publish/publish-tree.js');
  return publishTree(client, options);
}

/** In --watch mode a failed publish (a half-written file, a server restart) waits for the next change. */
async function publishOnceWatching(client: ApiClient, options: PublishTreeOptions, json: boolean): Promise<void> {
  try {
    printResult(await publishDir(client, options, undefined), json);
  } catch (err) {
    if (options.signal.aborted) return;
    reportFailure(err);
  }
}

function printResult(result: PublishResult, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  process.stdout.write(`${result.seq} ${result.digest}${result.unchanged ? ' unchanged' : ''}\n`);
  process.stderr.write(
    `${result.files} files, hashed ${result.hashedFiles} (${formatBytes(result.hashedBytes)}), uploaded ${result.uploadedBlobs} blobs, ${result.uploadedBytes} bytes\n`,
  );
}

/** Follows the rollout of the release just published; the summary goes to stderr, stdout keeps "SEQ DIGEST". */
async function waitAfterPublish(client: ApiClient, flags: PublishFlags, seq: number, progress: Progress, signal: AbortSignal): Promise<void> {
  // Loaded only with --wait: it reads the status schema, which a plain publish never loads.
  const { waitForRollout } = await import('../rollout/wait-rollout.js');
  const rollout = await waitForRollout(client, { app: flags.app, seq, acks: flags.acks === true, timeoutMs: flags.timeout, signal, progress, retryTimeoutMs: flags.retryTimeout });
  process.stderr.write(`rollout done: ${rollout.done}/${rollout.selected} nodes run seq ${seq} or later${rollout.acks ? ', their pods acked' : ''}\n`);
}

async function createIfMissing(client: ApiClient, app: string, spec: AppSpec, signal: AbortSignal): Promise<void> {
  try {
    await client.getApp(app, signal);
  } catch (err) {
    if (!isCodesyncError(err, 'APP_NOT_FOUND')) throw err;
    await client.putApp(app, spec, signal);
  }
}

/** Prints the import's result; returns its seq, if it has one. */
async function importSource(client: ApiClient, app: string, source: string, meta: Record<string, string>, json: boolean, signal: AbortSignal): Promise<number | undefined> {
  const result = await client.importTree(app, source, meta, signal);
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return result.seq;
  }
  if (result.seq === undefined && result.unchanged) {
    process.stdout.write('unchanged\n');
    return undefined;
  }
  if (result.seq === undefined) throw new CodesyncError('SERVER_ERROR', `the server answered the import without a seq: ${JSON.stringify(result)}`);
  process.stdout.write(`${result.seq} ${result.digest ?? ''}${result.unchanged ? ' unchanged' : ''}\n`);
  return result.seq;
}
