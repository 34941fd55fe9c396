import type { ReleaseMeta } from '../../protocol/manifest.js';
import { CodesyncError } from '../../protocol/errors.js';
import type { ApiClient } from '../api-client.js';
import { formatBytes, type Progress } from '../progress.js';
import { defaultCacheFile, HashCache } from './hash-cache.js';
import { hashTree } from './hash-tree.js';
import { uploadBlobs, UPLOAD_DEFAULTS } from './upload-blobs.js';
import { walkTree } from './walk-tree.js';

export interface PublishTreeOptions {
  dir: string;
  app: string;
  meta: ReleaseMeta;
  /** Hash cache file; default under $XDG_CACHE_HOME/codesync/publish/, keyed by the tree's realpath. */
  cacheFile?: string | undefined;
  /** Files hashed at once. */
  hashConcurrency?: number;
  /** Upload requests in flight at once. */
  uploadConcurrency?: number;
  signal: AbortSignal;
  progress?: Progress;
}

/** What one publish did: the release and the work it took (printed with --json, asserted by tests). */
export interface PublishResult {
  seq: number;
  digest: string;
  unchanged: boolean;
  files: number;
  hashedFiles: number;
  hashedBytes: number;
  uploadedBlobs: number;
  uploadedBytes: number;
  /** Bytes of manifest JSON sent, over every POST of the manifest. */
  manifestBytes: number;
}

export const HASH_CONCURRENCY_DEFAULT = 8;

/**
 * Rounds of "post manifest, upload what is missing": a second round covers blobs collected by
 * the server between our upload and the re-post; more than that means something is wrong.
 */
const MAX_ROUNDS = 3;

/** Walks, hashes (through the cache), and publishes DIR as a release of `app`. */
export async function publishTree(client: ApiClient, options: PublishTreeOptions): Promise<PublishResult> {
  const { signal, progress } = options;
  const tree = await walkTree(options.dir, signal);
  const cache = await HashCache.load(options.cacheFile ?? defaultCacheFile(tree.root), tree.root);
  const totalFiles = tree.nodes.reduce((n, node) => n + (node.type === 'file' ? 1 : 0), 0);
  let seen = 0;
  const hashed = await hashTree(tree.nodes, {
    cache,
    concurrency: options.hashConcurrency ?? HASH_CONCURRENCY_DEFAULT,
    signal,
    onFile: () => {
      seen++;
      progress?.update(() => `hashing: ${seen}/${totalFiles} files`);
    },
  });
  await cache.save();

  const body = { entries: hashed.entries, meta: options.meta };
  const manifestBytes = Buffer.byteLength(JSON.stringify(body));
  const result: PublishResult = {
    seq: 0, digest: '', unchanged: false, files: hashed.files, hashedFiles: hashed.hashedFiles, hashedBytes: hashed.hashedBytes,
    uploadedBlobs: 0, uploadedBytes: 0, manifestBytes: 0,
  };
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    result.manifestBytes += manifestBytes;
    const outcome = await postManifest(client, options.app, body, signal);
    if ('published' in outcome) {
      progress?.clear();
      return { ...result, seq: outcome.published.seq, digest: outcome.published.digest, unchanged: outcome.published.unchanged === true };
    }
    const missingBytes = outcome.missing.reduce((n, sha) => n + (hashed.blobs.get(sha)?.size ?? 0), 0);
    const before = result.uploadedBytes;
    let sent = 0;
    const uploaded = await uploadBlobs(client, outcome.missing, hashed.blobs, {
      ...UPLOAD_DEFAULTS,
      concurrency: options.uploadConcurrency ?? UPLOAD_DEFAULTS.concurrency,
      signal,
      onBytes: (n) => {
        sent += n;
        progress?.update(() => `uploading: ${formatBytes(before + sent)} of ${formatBytes(before + missingBytes)} (${outcome.missing.length} blobs)`);
      },
    });
    result.uploadedBlobs += uploaded.blobs;
    result.uploadedBytes += uploaded.bytes;
  }
  progress?.clear();
  throw new CodesyncError('BLOBS_MISSING', `the server still lacks blobs after ${MAX_ROUNDS} upload rounds`);
}

/** Posts the manifest; a first publish to an unknown app creates the app with server defaults. */
async function postManifest(client: ApiClient, app: string, body: Parameters<ApiClient['publishManifest']>[1], signal: AbortSignal) {
  try {
    return await client.publishManifest(app, body, signal);
  } catch (err) {
    if (!(err instanceof CodesyncError) || err.code !== 'APP_NOT_FOUND') throw err;
    await client.createApp(app, signal);
    return client.publishManifest(app, body, signal);
  }
}
