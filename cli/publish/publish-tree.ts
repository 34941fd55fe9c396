import type { ReleaseMeta } from '../../protocol/manifest.js';
import { CodesyncError } from '../../protocol/errors.js';
import type { AppSpec, PublishRequest } from '../../protocol/api.js';
import { manifestDigest } from '../../protocol/digest.js';
import { signRelease, type SigningKey } from '../../protocol/release-signature.js';
import type { ApiClient } from '../../protocol/client/api-client.js';
import { formatBytes, type Progress } from '../progress.js';
import { defaultCacheFile, HashCache } from './hash-cache.js';
import { HASH_THREADS_DEFAULT, hashTree, type HashedTree } from './hash-tree.js';
import { uploadBlobs, UPLOAD_DEFAULTS } from './upload-blobs.js';
import { walkTree } from './walk-tree.js';

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
  /** Wall-clock milliseconds per phase: where a slow publish spends its time. */
  timings: { walk: number; hash: number; upload: number; manifest: number };
}

/**
 * Rounds of "post manifest, upload what is missing": a second round covers blobs collected by
 * the server between our upload and the re-post; more than that means something is wrong.
 */
const MAX_ROUNDS = 3;

/** Walks, hashes (through the cache), and publishes DIR as a release of `app`. */
export async function publishTree(client: ApiClient, options: PublishTreeOptions): Promise<PublishResult> {
  const { signal, progress } = options;
  const timings = { walk: 0, hash: 0, upload: 0, manifest: 0 };
  let mark = performance.now();
  const lap = (phase: keyof typeof timings): void => {
    const now = performance.now();
    timings[phase] += Math.round(now - mark);
    mark = now;
  };
  const tree = await walkTree(options.dir, signal, options.exclude);
  lap('walk');
  const cache = await HashCache.load(options.cacheFile ?? defaultCacheFile(tree.root), tree.root);
  const totalFiles = tree.nodes.reduce((n, node) => n + (node.type === 'file' ? 1 : 0), 0);
  let seen = 0;
  const hashed = await hashTree(tree.nodes, {
    cache,
    threads: options.hashThreads ?? HASH_THREADS_DEFAULT,
    signal,
    onFile: () => {
      seen++;
      progress?.update(() => `hashing: ${seen}/${totalFiles} files`);
    },
  });
  await cache.save();
  lap('hash');

  // The digest the server will compute over the same entries (protocol/digest.ts): what is signed.
  const digest = options.signKey ? manifestDigest(hashed.entries) : undefined;
  const signature = options.signKey && digest ? signRelease(options.signKey, options.app, digest) : undefined;
  const body = JSON.stringify({ entries: hashed.entries, meta: options.meta, ...(signature ? { signature } : {}) } satisfies PublishRequest);
  const manifestBytes = Buffer.byteLength(body);
  const result: PublishResult = {
    seq: 0, digest: '', unchanged: false, files: hashed.files, hashedFiles: hashed.hashedFiles, hashedBytes: hashed.hashedBytes,
    uploadedBlobs: 0, uploadedBytes: 0, manifestBytes: 0, timings,
  };
  const upload = async (shas: readonly string[]): Promise<void> => {
    const total = shas.reduce((n, sha) => n + (hashed.blobs.get(sha)?.size ?? 0), 0);
    let sent = 0;
    const uploaded = await uploadBlobs(client, shas, hashed.blobs, {
      ...UPLOAD_DEFAULTS,
      concurrency: options.uploadConcurrency ?? UPLOAD_DEFAULTS.concurrency,
      signal,
      onBytes: (n) => {
        sent += n;
        progress?.update(() => `uploading: ${formatBytes(sent)} of ${formatBytes(total)} (${shas.length} blobs)`);
      },
    });
    result.uploadedBlobs += uploaded.blobs;
    result.uploadedBytes += uploaded.bytes;
    lap('upload');
  };
  if (worthUploadingFirst(hashed, cache.hits, manifestBytes)) await upload([...hashed.fresh]);
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    result.manifestBytes += manifestBytes;
    const outcome = await client.publishManifestJson(options.app, body, signal, options.create);
    lap('manifest');
    if ('published' in outcome) {
      progress?.clear();
      if (signature && outcome.published.digest !== digest) {
        throw new CodesyncError('SERVER_ERROR', `the server published digest ${outcome.published.digest}, not the signed ${digest}: agents trusting the key will refuse it`);
      }
      return { ...result, seq: outcome.published.seq, digest: outcome.published.digest, unchanged: outcome.published.unchanged === true };
    }
    await upload(outcome.missing);
  }
  progress?.clear();
  throw new CodesyncError('BLOBS_MISSING', `the server still lacks blobs after ${MAX_ROUNDS} upload rounds`);
}

/**
 * On a re-publish the files that changed since the last one are the blobs the server most likely
 * lacks: sending them before the manifest saves posting the manifest twice (for a big tree with a
 * one-line change, the manifest is most of the bytes). Only done when those blobs weigh no more
 * than the manifest, so a wrong guess costs at most what a right one saves; a fresh checkout
 * (empty cache) always asks the server first, since the server likely holds most of its blobs.
 */
function worthUploadingFirst(hashed: HashedTree, cacheHits: number, manifestBytes: number): boolean {
  if (cacheHits === 0 || hashed.fresh.size === 0) return false;
  let bytes = 0;
  for (const sha of hashed.fresh) bytes += hashed.blobs.get(sha)?.size ?? 0;
  return bytes <= manifestBytes;
}

