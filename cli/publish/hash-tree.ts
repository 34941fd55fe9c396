import { availableParallelism } from 'node:os';
import { CodesyncError } from '../../protocol/errors.js';
import type { ManifestEntry } from '../../protocol/manifest.js';
import { nowNs, type HashCache } from './hash-cache.js';
import { FileHasher } from './file-hasher.js';
import { hashOnWorkers } from './hash-pool.js';
import type { HashOutcome } from './hash-worker.js';
import { mapLimit } from '../../protocol/runtime/map-limit.js';
import type { FileNode, TreeNode } from './walk-tree.js';

/** Where the bytes of a blob can be read from when the server asks for it. */
export interface LocalBlob {
  absolute: string;
  size: number;
}

export interface HashedTree {
  /** Manifest entries in the walk's order (sorted by path bytes). */
  entries: ManifestEntry[];
  /** Every blob of the tree by sha256. */
  blobs: Map<string, LocalBlob>;
  files: number;
  /** sha256 of the files hashed this run: changed since the last publish, if the cache knew them. */
  fresh: Set<string>;
  /** Files read and hashed this run (the rest came from the cache). */
  hashedFiles: number;
  hashedBytes: number;
}

export interface HashTreeOptions {
  cache: HashCache;
  /** Worker threads hashing at once when there is much to hash. */
  threads: number;
  signal: AbortSignal;
  /** Called after each file hashed or found in the cache. */
  onFile?: (node: FileNode, fromCache: boolean) => void;
}

/** Default hashing threads: one per core, at most 4 (reads, not cores, limit past that). */
export const HASH_THREADS_DEFAULT = Math.min(availableParallelism(), 4);

/**
 * Below these, starting worker threads costs more than it saves: the typical re-publish of a few
 * changed files hashes them on the main thread with a few async reads in flight.
 */
const MAIN_THREAD_MAX_FILES = 256;
const MAIN_THREAD_MAX_BYTES = 8 * 1024 * 1024;
const MAIN_THREAD_READS = 8;

/** Turns walked nodes into manifest entries, hashing only the files the cache cannot vouch for. */
export async function hashTree(nodes: readonly TreeNode[], options: HashTreeOptions): Promise<HashedTree> {
  const { cache, signal } = options;
  // sha256 of each file by its place in `nodes` (no map keyed by path: a 100 000-file re-publish
  // would build one only to read it back in the same order).
  const shas: (string | undefined)[] = new Array<string | undefined>(nodes.length);
  const toHash: { node: FileNode; at: number }[] = [];
  let toHashBytes = 0;
  for (let at = 0; at < nodes.length; at++) {
    const node = nodes[at]!;
    if (node.type !== 'file') continue;
    const cached = cache.lookup(node.path, node.identity);
    if (cached) {
      shas[at] = cached;
      options.onFile?.(node, true);
    } else {
      toHash.push({ node, at });
      toHashBytes += node.identity.size;
    }
  }

  let hashedBytes = 0;
  const fresh = new Set<string>();
  const settle = ({ node, at }: { node: FileNode; at: number }, outcome: HashOutcome, hashedAtNs: bigint): void => {
    if ('errno' in outcome) {
      if (outcome.errno === 'ENOENT') throw new CodesyncError('TREE_CHANGED', `${JSON.stringify(node.absolute)} was removed while the tree was read; publish again once writes settle`);
      throw new CodesyncError('INTERNAL', `cannot read ${JSON.stringify(node.absolute)}: ${outcome.message}`);
    }
    if (outcome.size !== node.identity.size) {
      throw new CodesyncError('TREE_CHANGED', `${JSON.stringify(node.absolute)} changed while it was read (${node.identity.size} bytes listed, ${outcome.size} read); publish again once writes settle`);
    }
    cache.record(node.path, node.identity, outcome.sha256, hashedAtNs);
    shas[at] = outcome.sha256;
    // A file touched but not changed (a checkout, `touch`) is no news to the server.
    if (cache.previousSha(node.path) !== outcome.sha256) fresh.add(outcome.sha256);
    hashedBytes += outcome.size;
    options.onFile?.(node, false);
  };

  if (toHash.length <= MAIN_THREAD_MAX_FILES && toHashBytes <= MAIN_THREAD_MAX_BYTES) {
    const idle = Array.from({ length: MAIN_THREAD_READS }, () => new FileHasher());
    await mapLimit(toHash, MAIN_THREAD_READS, async (file) => {
      const startedNs = nowNs();
      const hasher = idle.pop() as FileHasher;
      const outcome = await hasher.hash(file.node.absolute, signal).finally(() => idle.push(hasher));
      settle(file, outcome, startedNs);
    }, signal);
  } else {
    const jobs = toHash.map((file) => ({ path: file.node.absolute, size: file.node.identity.size, file }));
    await hashOnWorkers(jobs, options.threads, signal, (results, sentAtNs) => {
      for (const { job, outcome } of results) settle(job.file, outcome, sentAtNs);
    });
  }

  const entries: ManifestEntry[] = [];
  const blobs = new Map<string, LocalBlob>();
  let files = 0;
  for (let at = 0; at < nodes.length; at++) {
    const node = nodes[at]!;
    if (node.type === 'file') {
      const sha256 = shas[at] as string;
      entries.push({ path: node.path, type: 'file', mode: node.mode, size: node.identity.size, sha256 });
      blobs.set(sha256, { absolute: node.absolute, size: node.identity.size });
      files++;
    } else if (node.type === 'dir') {
      entries.push({ path: node.path, type: 'dir', mode: node.mode });
    } else {
      entries.push({ path: node.path, type: 'symlink', mode: node.mode, target: node.target });
    }
  }
  return { entries, blobs, files, fresh, hashedFiles: toHash.length, hashedBytes };
}
