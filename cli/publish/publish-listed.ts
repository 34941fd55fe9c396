import type { PublishDeltaRequest } from '../../protocol/api.js';
import type { ApiClient } from '../../protocol/client/api-client.js';
import type { CompactManifest } from '../../protocol/compact-manifest.js';
import type { ManifestDelta } from '../../protocol/delta.js';
import { canonicalLine } from '../../protocol/digest.js';
import { CodesyncError, isCodesyncError } from '../../protocol/errors.js';
import type { ManifestEntry } from '../../protocol/manifest.js';
import { PhaseTimer } from '../../protocol/runtime/phase-timer.js';
import { listedChanges } from './changed-paths.js';
import { FileHasher, unreadable } from './file-hasher.js';
import { defaultCacheFile } from './hash-cache.js';
import type { LocalBlob } from './hash-tree.js';
import { PUBLISH_PHASES, type PublishResult } from './publish-result.js';
import type { PublishTreeOptions } from './publish-tree.js';
import { loadPublishedTree, publishedTreeFile, StagedPublishedTree } from './published-tree.js';
import { loadTreeFilter } from './tree-filter.js';
import { treeRoot } from './tree-node.js';
import { blobsNamed, uploadBlobs, UPLOAD_DEFAULTS } from './upload-blobs.js';

/** Posts of the delta before giving up, as publish-tree.ts's MAX_ROUNDS. */
const MAX_ROUNDS = 3;

/**
 * `codesync publish DIR --changed-from LIST` (docs/cli.md#publish): the release is the tree last
 * published from here with only the listed paths read again from disk, so a one-file change
 * costs one lstat and one hash whatever the tree's size, where a walk lstats every file. The
 * list is the caller's word that nothing else changed (what git diff --name-only gives a CI job);
 * the server checks the delta like any other. Answers `walk` with the reason when the list cannot
 * be used (nothing published from here yet, another release published since, a listed directory
 * or .codesyncignore): the caller then walks the whole tree.
 */
export async function publishListed(client: ApiClient, options: PublishTreeOptions, paths: readonly string[]): Promise<PublishResult | { walk: string }> {
  const { signal, progress } = options;
  const timer = new PhaseTimer(PUBLISH_PHASES);
  const root = treeRoot(options.dir);
  const cacheFile = options.cacheFile ?? defaultCacheFile(root);
  const previous = loadPublishedTree(publishedTreeFile(cacheFile), client.origin, options.app);
  if (!previous) return { walk: 'no release was published from this directory with this cache yet' };
  // The list says what changed since the release published from here; since a later one (another
  // checkout's, a rollback) it says nothing. Asked while the listed paths are read.
  const latest = client.latestRelease(options.app, signal).catch((err: unknown) => {
    // Deleted since: the walk's publish says so, or creates it again with --create.
    if (isCodesyncError(err, 'APP_NOT_FOUND')) return null;
    throw err;
  });
  latest.catch(() => undefined);
  const changes = listedChanges(root, previous.manifest, paths, loadTreeFilter(root, options.exclude));
  if ('walk' in changes) return changes;
  timer.lap('walk');

  const hasher = new FileHasher();
  const blobs = new Map<string, LocalBlob>();
  // What the change brings is what the server most likely lacks: sent before the delta, which
  // then publishes at its first post (a file whose bytes did not change is not sent).
  const fresh = new Map<string, LocalBlob>();
  const upserts: ManifestEntry[] = [...changes.entries];
  let hashedBytes = 0;
  for (const file of changes.files) {
    const outcome = await hasher.hash(file.absolute, signal);
    if ('errno' in outcome) throw unreadable(file.absolute, outcome);
    hashedBytes += outcome.size;
    upserts.push({ path: file.path, type: 'file', mode: file.mode, size: outcome.size, sha256: outcome.sha256 });
    const blob: LocalBlob = { absolute: file.absolute, size: outcome.size };
    blobs.set(outcome.sha256, blob);
    const held = previous.manifest.indexOf(file.path);
    const before = held >= 0 ? previous.manifest.entry(held) : undefined;
    if (before?.type !== 'file' || before.sha256 !== outcome.sha256) fresh.set(outcome.sha256, blob);
  }
  timer.lap('hash');

  const current = await latest;
  if (current?.seq !== previous.seq || current.digest !== previous.digest) {
    return { walk: `the app's latest release is ${current ? `seq ${current.seq}` : 'none'}, not seq ${previous.seq}, the last published from here` };
  }
  const delta = deltaOver(previous.manifest, upserts, changes.removed);
  const manifest = previous.manifest.applyDelta(delta);
  // A signature needs the digest first; otherwise the digest, the count and the tree's file for
  // the next publish are made while the server checks the delta (~70 ms at 100 000 files).
  const signature = options.signKey ? (await import('../../protocol/release-signature.js')).signRelease(options.signKey, options.app, manifest.digest()) : undefined;
  const body = JSON.stringify({ base: previous.seq, baseDigest: previous.digest, ...delta, meta: options.meta, ...(signature ? { signature } : {}) } satisfies PublishDeltaRequest);
  const result: PublishResult = {
    seq: 0, digest: '', unchanged: false, files: 0, hashedFiles: changes.files.length, hashedBytes,
    uploadedBlobs: 0, uploadedBytes: 0, manifestBytes: 0, manifestForm: 'delta', listed: true, timings: timer.ms,
  };
  const upload = async (wanted: [string, LocalBlob][]): Promise<void> => {
    const sent = await uploadBlobs(client, wanted, { ...UPLOAD_DEFAULTS, concurrency: options.uploadConcurrency ?? UPLOAD_DEFAULTS.concurrency, signal });
    result.uploadedBlobs += sent.blobs;
    result.uploadedBytes += sent.bytes;
    timer.lap('upload');
  };
  if (fresh.size > 0) await upload([...fresh]);
  let staged: StagedPublishedTree | undefined;
  const stage = (): string => {
    const digest = manifest.digest();
    if (!staged) {
      staged = StagedPublishedTree.start(publishedTreeFile(cacheFile), client.origin, options.app, manifest, digest);
      result.files = manifest.count('file');
    }
    return digest;
  };
  try {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      result.manifestBytes += Buffer.byteLength(body);
      let outcome;
      try {
        // The request is on its way once the call returns: the staging overlaps the server's work.
        const answer = client.publishManifestJson(options.app, body, signal, options.create);
        stage();
        outcome = await answer;
      } catch (err) {
        if (isCodesyncError(err, 'DELTA_BASE_MISMATCH')) return { walk: `the server no longer holds release ${previous.seq}, the last published from here` };
        throw err;
      }
      timer.lap('manifest');
      if ('missing' in outcome) {
        await upload(blobsNamed(outcome.missing, (sha256) => blobs.get(sha256)));
        continue;
      }
      progress?.clear();
      const published = outcome.published;
      const digest = stage();
      if (published.digest !== digest) throw new CodesyncError('SERVER_ERROR', `the server made ${published.digest} of the delta, not ${digest}`);
      await staged!.commit(published.seq);
      staged = undefined;
      return { ...result, seq: published.seq, digest: published.digest, unchanged: published.unchanged === true };
    }
  } finally {
    await staged?.discard();
  }
  throw new CodesyncError('BLOBS_MISSING', `the server still lacks blobs after ${MAX_ROUNDS} upload rounds`);
}

/** The delta that brings `base` to hold `upserts` and not `removed`; entries as they were stay out. */
function deltaOver(base: CompactManifest, upserts: readonly ManifestEntry[], removed: readonly string[]): ManifestDelta {
  const delta: ManifestDelta = { added: [], changed: [], removed: [...removed] };
  for (const entry of upserts) {
    const index = base.indexOf(entry.path);
    if (index < 0) delta.added.push(entry);
    else if (canonicalLine(base.entry(index)) !== canonicalLine(entry)) delta.changed.push(entry);
  }
  return delta;
}
