import type { ReleaseMeta } from '../../protocol/manifest.js';
import { CodesyncError, isCodesyncError } from '../../protocol/errors.js';
import type { AppSpec, PublishDeltaRequest, PublishRequest } from '../../protocol/api.js';
import type { SigningKey } from '../../protocol/release-signature.js';
import type { ApiClient } from '../../protocol/client/api-client.js';
import { formatBytes, type Progress } from '../progress.js';
import { defaultCacheFile, HashCache } from './hash-cache.js';
import { HASH_THREADS_DEFAULT, hashTree, ioTurn, type HashedTree, type LocalBlob } from './hash-tree.js';
import { loadPublishedTree, publishedTreeFile, StagedPublishedTree, type PublishedTree } from './published-tree.js';
import { blobsNamed, uploadBlobs, UPLOAD_DEFAULTS } from './upload-blobs.js';
import { walkTree, type FileNode } from './walk-tree.js';
import { serverLacksAll, serverLacksFiles, spread } from './tree-probe.js';
import { PIPELINE_DEFAULTS, UploadPipeline } from './upload-pipeline.js';
import { PhaseTimer } from '../../protocol/runtime/phase-timer.js';
import { PUBLISH_PHASES, type PublishPhase, type PublishResult } from './publish-result.js';

export interface PublishTreeOptions {
  dir: string;
  app: string;
  meta: ReleaseMeta;
  /** Hash cache file; default under $XDG_CACHE_HOME/codesync/publish/, keyed by the tree's realpath. */
  cacheFile?: string | undefined;
  /** Worker threads hashing when many files need it. */
  hashThreads?: number;
  /** Upload requests in flight at once. */
  uploadConcurrency?: number;
  /** gitignore patterns of paths to leave out, besides those of DIR/.codesyncignore. */
  exclude?: readonly string[] | undefined;
  /** Create the app with this spec if it does not exist; without it an unknown app is APP_NOT_FOUND. */
  create?: AppSpec | undefined;
  signal: AbortSignal;
  progress?: Progress;
  /** Signs (app, digest of the published manifest) so agents with `--trust-key` accept the release. */
  signKey?: SigningKey | undefined;
}

/**
 * Rounds of "post manifest, upload what is missing": a second round covers blobs collected by
 * the server between our upload and the re-post; more than that means something is wrong.
 */
const MAX_ROUNDS = 3;

/** Files found in the hash cache between two progress updates. */
const PROGRESS_HITS = 1024;

/** What a publish reads from its cache directory: the hash cache and the tree last published. */
interface LoadedCaches {
  cacheFile: string;
  cache: HashCache;
  previous: PublishedTree | undefined;
}

/** Walks, hashes (through the cache), and publishes DIR as a release of `app`. */
export async function publishTree(client: ApiClient, options: PublishTreeOptions): Promise<PublishResult> {
  const { signal, progress } = options;
  const timer = new PhaseTimer(PUBLISH_PHASES);
  const lap = (phase: PublishPhase): void => timer.lap(phase);
  let loaded: LoadedCaches | undefined;
  const load = (root: string): LoadedCaches => {
    const cacheFile = options.cacheFile ?? defaultCacheFile(root);
    return (loaded = { cacheFile, cache: HashCache.load(cacheFile, root), previous: loadPublishedTree(publishedTreeFile(cacheFile), client.origin, options.app) });
  };
  // The caches are read while a big tree's lstats run on the walk's helper thread, which starts
  // with the walk when the last run's cache says the tree is big.
  const expectedFiles = (root: string): number | undefined => HashCache.peekFiles(options.cacheFile ?? defaultCacheFile(root), root);
  const tree = await walkTree(options.dir, signal, options.exclude, { meanwhile: load, expectedFiles });
  lap('walk');
  const { cacheFile, cache, previous } = loaded ?? load(tree.root);
  const totalFiles = tree.nodes.reduce((n, node) => n + (node.type === 'file' ? 1 : 0), 0);
  let seen = 0;
  const render = (): string => `hashing: ${seen}/${totalFiles} files`;
  // A tree none of which was published from here, all to hash: its blobs go up while it is
  // hashed, once a few of them tell the server holds none (upload-pipeline.ts).
  let pipeline: UploadPipeline | undefined;
  const pipe = (toHash: readonly FileNode[]): UploadPipeline | undefined => {
    if (previous || toHash.length < totalFiles) return undefined;
    let sent = 0;
    const onBytes = (n: number): void => {
      sent += n;
      progress?.update(() => `${render()}, uploaded ${formatBytes(sent)}`);
    };
    pipeline = new UploadPipeline(client, serverLacksFiles(client, toHash, signal), { ...PIPELINE_DEFAULTS, signal, onBytes });
    return pipeline;
  };
  const hashed = await hashTree(tree, {
    cache,
    threads: options.hashThreads ?? HASH_THREADS_DEFAULT,
    signal,
    pipe,
    // A cache hit asks for a redraw once in PROGRESS_HITS: a clock read per file was a sixth
    // of a 100 000-file re-publish's hash phase.
    onFile: (_node, fromCache) => {
      seen++;
      if (!fromCache || seen % PROGRESS_HITS === 0) progress?.update(render);
    },
  }).catch((err: unknown) => {
    pipeline?.cancel(err);
    throw err;
  });
  lap('hash');
  // The cache is written once the manifest is posted, while the server checks it (its only
  // reader is the next publish); the publish ends only once it is on disk, and a failed write
  // fails the publish. Its encoding (tens of ms at 100 000 files) no longer delays the post.
  let cacheSaved: Promise<void> | undefined;
  const saveCache = (): Promise<void> => (cacheSaved ??= cache.save());
  let result: PublishResult;
  try {
    result = await publishHashed(client, options, hashed, cache.hits, cacheFile, previous, timer, saveCache, pipeline);
  } catch (err) {
    await saveCache().catch(() => undefined);
    throw err;
  }
  await saveCache();
  return result;
}

async function publishHashed(client: ApiClient, options: PublishTreeOptions, hashed: HashedTree, cacheHits: number, cacheFile: string, previous: PublishedTree | undefined, timer: PhaseTimer<PublishPhase>, posted: () => void, pipeline: UploadPipeline | undefined): Promise<PublishResult> {
  const { signal, progress } = options;
  const lap = (phase: PublishPhase): void => timer.lap(phase);
  const result: PublishResult = {
    seq: 0, digest: '', unchanged: false, files: hashed.files, hashedFiles: hashed.hashedFiles, hashedBytes: hashed.hashedBytes,
    uploadedBlobs: 0, uploadedBytes: 0, manifestBytes: 0, manifestForm: 'full', listed: false, timings: timer.ms,
  };
  const upload = async (wanted: readonly [string, LocalBlob][]): Promise<void> => {
    const total = wanted.reduce((n, [, blob]) => n + blob.size, 0);
    let sent = 0;
    const uploaded = await uploadBlobs(client, wanted, {
      ...UPLOAD_DEFAULTS,
      concurrency: options.uploadConcurrency ?? UPLOAD_DEFAULTS.concurrency,
      signal,
      onBytes: (n) => {
        sent += n;
        progress?.update(() => `uploading: ${formatBytes(sent)} of ${formatBytes(total)} (${wanted.length} blobs)`);
      },
    });
    result.uploadedBlobs += uploaded.blobs;
    result.uploadedBytes += uploaded.bytes;
    lap('upload');
  };
  // A small change goes up first, while the manifest is made: the server makes it durable
  // meanwhile (see worthUploadingFirst).
  const firstUpload = worthUploadingFirst(hashed, cacheHits) ? upload([...hashed.fresh]) : undefined;
  // Awaited below; a failure while the manifest is made must not go unhandled meanwhile.
  firstUpload?.catch(() => undefined);

  // The walk's entries are sorted canonically: the digest the server will compute, and what is signed.
  // While a first upload is under way the manifest is made between turns of the event loop, so
  // that upload goes out and the server stores the blob meanwhile (see manifestBetweenTurns).
  const manifest = firstUpload ? await hashed.manifestBetweenTurns() : hashed.manifest();
  if (firstUpload) await ioTurn();
  // The tree's digest is what is signed, so with --sign-key it is made first; otherwise only this
  // side needs it (the server computes its own, which the answer must match), so it is made once
  // the manifest is on its way, while the server checks it (~10 ms at 100 000 files).
  let digest = options.signKey ? manifest.digest() : undefined;
  // The signing code loads only with --sign-key.
  const signature = options.signKey ? (await import('../../protocol/release-signature.js')).signRelease(options.signKey, options.app, digest!) : undefined;
  const publishedFile = publishedTreeFile(cacheFile);
  // Against the last release published from here, only the change travels and the server checks
  // only what it adds; if that release is gone or was replaced, the server says so and the whole
  // manifest goes instead.
  let deltaBody = previous && JSON.stringify({ base: previous.seq, baseDigest: previous.digest, ...previous.manifest.diff(manifest), meta: options.meta, ...(signature ? { signature } : {}) } satisfies PublishDeltaRequest);
  let fullBody: string | undefined;
  const manifestBody = (): string => JSON.stringify({ entries: hashed.entries, meta: options.meta, ...(signature ? { signature } : {}) } satisfies PublishRequest);
  // Written while the server is asked: after its answer only the seq goes in (published-tree.ts).
  // A tree the last publish from here sent is likely `unchanged`: not written.
  let staged: StagedPublishedTree | undefined;
  let staging = false;
  const digestAndStage = (): string => {
    digest ??= manifest.digest();
    if (!staging && previous?.digest !== digest) staged = StagedPublishedTree.start(publishedFile, client.origin, options.app, manifest, digest);
    staging = true;
    return digest;
  };
  // A signed tree's digest is known already: its file is written while the blobs go up.
  if (digest !== undefined) digestAndStage();
  try {
    if (firstUpload) await firstUpload;
    else if (pipeline) {
      // The pipeline sent the small files; the rest (bigger than a hash batch keeps) go now.
      const rest = (await pipeline.started) ? [...hashed.fresh].filter(([, blob]) => !blob.inTar) : [];
      const finished = Promise.all([pipeline.finish(), rest.length > 0 ? upload(rest) : undefined]);
      // Awaited below; a failure while the body is made must not go unhandled meanwhile.
      finished.catch(() => undefined);
      // The manifest's body is made while the last pieces go up and the server commits them
      // (~0.1 s at 100 000 files), after a turn so the requests take what is queued first.
      await ioTurn();
      fullBody ??= manifestBody();
      const [sent] = await finished;
      if (sent) {
        result.uploadedBlobs += sent.blobs;
        result.uploadedBytes += sent.bytes;
        lap('upload');
      }
    } else if (!previous) {
      // After an empty cache the fresh blobs are all of them, bytes kept and no map of them built
      // again (a map operation per blob was a tenth of a 100 000-file cold publish's CLI CPU).
      const all = hashed.allFresh ? [...hashed.fresh] : [...hashed.blobs];
      // A lone blob is not worth a question: the manifest goes first, as it would after one.
      if (all.length > 1 && (await serverLacksAll(client, spread(all).map(([sha]) => sha), signal))) await upload(all);
    }
    return await postManifest();
  } finally {
    await staged?.discard();
  }

  async function postManifest(): Promise<PublishResult> {
    let rounds = 0;
    while (rounds < MAX_ROUNDS) {
      const body = deltaBody ?? (fullBody ??= manifestBody());
      result.manifestBytes += Buffer.byteLength(body);
      let outcome;
      try {
        // The request is on its way once the call returns: what waits for the answer starts then.
        const answer = client.publishManifestJson(options.app, body, signal, options.create);
        posted();
        digestAndStage();
        outcome = await answer;
      } catch (err) {
        if (!deltaBody || !isCodesyncError(err, 'DELTA_BASE_MISMATCH')) throw err;
        deltaBody = undefined;
        lap('manifest');
        continue;
      }
      lap('manifest');
      if ('published' in outcome) {
        progress?.clear();
        const published = outcome.published;
        const treeDigest = digestAndStage();
        if (signature && published.digest !== treeDigest) {
          throw new CodesyncError('SERVER_ERROR', `the server published digest ${published.digest}, not the signed ${treeDigest}: agents trusting the key will refuse it`);
        }
        // Kept only when the server's tree is this one: the next delta must apply to what was sent.
        if (published.digest === treeDigest && (previous?.seq !== published.seq || previous.digest !== treeDigest)) {
          const ready = staged ?? StagedPublishedTree.start(publishedFile, client.origin, options.app, manifest, treeDigest);
          staged = undefined;
          await ready.commit(published.seq);
        }
        return { ...result, manifestForm: deltaBody ? 'delta' : 'full', seq: published.seq, digest: published.digest, unchanged: published.unchanged === true };
      }
      rounds++;
      await upload(blobsNamed(outcome.missing, (sha) => hashed.blob(sha)));
    }
    progress?.clear();
    throw new CodesyncError('BLOBS_MISSING', `the server still lacks blobs after ${MAX_ROUNDS} upload rounds`);
  }
}

/**
 * The fewest bytes a manifest line can take: a file's `file\t0644\t0\t<64 hex>\t<path>\n`
 * with a one-byte path. What a tree's manifest weighs at least, before it is made.
 */
const MIN_LINE_BYTES = 79;

/**
 * On a re-publish the files that changed since the last one are the blobs the server most likely
 * lacks: sending them before the manifest saves a second post of it (and the server a second
 * check), and they go up while the manifest is made. Only done when those blobs weigh no more
 * than the whole manifest would (at least MIN_LINE_BYTES a file), so a wrong guess costs at most
 * what a full post costs; a fresh checkout (empty cache) always asks the server first, since the
 * server likely holds most of its blobs.
 */
function worthUploadingFirst(hashed: HashedTree, cacheHits: number): boolean {
  if (cacheHits === 0 || hashed.fresh.size === 0) return false;
  let bytes = 0;
  for (const blob of hashed.fresh.values()) bytes += blob.size;
  return bytes <= hashed.files * MIN_LINE_BYTES;
}
