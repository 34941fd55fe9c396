import { CodesyncError } from '../../protocol/errors.js';
import type { ManifestEntry } from '../../protocol/manifest.js';
import { nowNs, type HashCache } from './hash-cache.js';
import { FileHasher } from './file-hasher.js';
import { runPool } from './pool.js';
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
  /** Files read at once: hashing overlaps the reads of one with the hashing of another. */
  concurrency: number;
  signal: AbortSignal;
  /** Called after each file hashed or found in the cache. */
  onFile?: (node: FileNode, fromCache: boolean) => void;
}

/** Turns walked nodes into manifest entries, hashing only the files the cache cannot vouch for. */
export async function hashTree(nodes: readonly TreeNode[], options: HashTreeOptions): Promise<HashedTree> {
  const hashes = new Map<string, string>();
  const toHash: FileNode[] = [];
  for (const node of nodes) {
    if (node.type !== 'file') continue;
    const cached = options.cache.lookup(node.path, node.identity);
    if (cached) {
      hashes.set(node.path, cached);
      options.onFile?.(node, true);
    } else {
      toHash.push(node);
    }
  }
  let hashedBytes = 0;
  const fresh = new Set<string>();
  const idle = Array.from({ length: options.concurrency }, () => new FileHasher());
  await runPool(toHash, options.concurrency, async (node) => {
    const startedNs = nowNs();
    const hasher = idle.pop() as FileHasher;
    const { sha256, size } = await hasher.hash(node.absolute, options.signal).finally(() => idle.push(hasher));
    if (size !== node.identity.size) {
      throw new CodesyncError('TREE_CHANGED', `${JSON.stringify(node.absolute)} changed while it was read (${node.identity.size} bytes listed, ${size} read); publish again once it is written`);
    }
    options.cache.record(node.path, node.identity, sha256, startedNs);
    hashes.set(node.path, sha256);
    fresh.add(sha256);
    hashedBytes += size;
    options.onFile?.(node, false);
  }, options.signal);

  const entries: ManifestEntry[] = [];
  const blobs = new Map<string, LocalBlob>();
  let files = 0;
  for (const node of nodes) {
    if (node.type === 'file') {
      const sha256 = hashes.get(node.path) as string;
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
