import { availableParallelism } from 'node:os';
import { CodesyncError } from '../../protocol/errors.js';
import type { CompactManifest } from '../../protocol/compact-manifest.js';
import { ManifestTextWriter } from './manifest-text-writer.js';
import { formatMode, type ManifestEntry } from '../../protocol/manifest.js';
import { SHA_BYTES, type HashCache } from './hash-cache.js';
import { FileHasher, unreadable } from './file-hasher.js';
import type { HashedFile, TarPiece } from './hash-pool.js';
import { mapLimit } from '../../protocol/runtime/map-limit.js';
import type { FileIdentities } from './file-identities.js';
import type { TreeNode } from './tree-node.js';
import type { FileNode, WalkedTree } from './walk-tree.js';

/** The modes a walk gives (git's two file modes, directories, links) as canonical lines write them. */
const MODE_DIGITS: Record<number, string> = { 0o644: '0644', 0o755: '0755', 0o777: '0777' };

/** Entries of a manifest made between two turns of the event loop (manifestBetweenTurns): ~3 ms of work. */
const MANIFEST_SLICE = 8192;

/** One turn of the event loop: I/O callbacks due run before it resolves. */
export function ioTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Where the bytes of a blob can be read from when the server asks for it. */
export interface LocalBlob {
  absolute: string;
  size: number;
  /** The bytes as hashed, when the hashing kept them (HashKeep): an upload sends these. */
  bytes?: Buffer | undefined;
  /** Its bytes went to a pipelined upload as a tar entry (HashOptions.pipe): not sent again unless asked for. */
  inTar?: boolean;
}

/**
 * Where a cold publish's hashing hands its small files as pieces of a blob tar, to go up while
 * the rest is hashed (upload-pipeline.ts).
 */
export interface TarPipe {
  /** HashKeep.keepAs: how a batch's small files come back; may wait for the upload to free room. */
  keepAs(tarBytes: number): Promise<'tar' | 'bytes' | undefined>;
  /** A batch's tar piece, once its files are recorded: `blobs` entries, `bytes` of file content. */
  take(piece: TarPiece, blobs: number, bytes: number): void;
  /** HashKeep.spare: memory of a piece sent, to lay the next one in. */
  spare?(tarBytes: number): ArrayBuffer | undefined;
}

/**
 * The hashed tree: the walk's nodes and each file's sha256. The manifest entries and the map of
 * every blob are built only when asked for: a re-publish looks up only the blobs it uploads, by
 * their place in the walk.
 */
export class HashedTree {
  private entryList: ManifestEntry[] | undefined;
  private blobMap: Map<string, LocalBlob> | undefined;

  constructor(
    private readonly nodes: readonly TreeNode[],
    private readonly identities: FileIdentities,
    /** sha256 of the file at each index of `nodes` hashed this run. */
    private readonly shas: readonly (string | undefined)[],
    /** For each index of `nodes` whose sha256 came from the hash cache, its index there (else -1). */
    private readonly cachedAt: Int32Array,
    private readonly cache: HashCache,
    /** sha256 of the files hashed this run: changed since the last publish, if the cache knew them. */
    readonly fresh: ReadonlyMap<string, LocalBlob>,
    readonly files: number,
    /** Files read and hashed this run (the rest came from the cache). */
    readonly hashedFiles: number,
    readonly hashedBytes: number,
    /** Whether `fresh` holds every blob of the tree: each file was hashed and none was as the cache had it. */
    readonly allFresh: boolean,
  ) {}

  /** Manifest entries in the walk's order (sorted by path bytes). */
  get entries(): ManifestEntry[] {
    if (!this.entryList) {
      this.entryList = [];
      for (let at = 0; at < this.nodes.length; at++) this.entryList.push(this.entry(at));
    }
    return this.entryList;
  }

  /**
   * The tree's manifest, its lines made straight from the nodes (canonicalLine's form, checked
   * equal by test/cli/hash-tree.test.ts): no entry object or line string each, the modes' digits
   * looked up.
   */
  manifest(): CompactManifest {
    const writer = new ManifestTextWriter(this.nodes.length);
    this.writeLines(writer, 0, this.nodes.length);
    return writer.finish();
  }

  /**
   * `manifest()` made MANIFEST_SLICE entries at a time with a turn of the event loop between
   * slices, so I/O begun before it goes on meanwhile: a re-publish's first upload was held back
   * until the whole manifest was made (~50 ms of one synchronous run at 100 000 files) and only
   * then sent, so the server's write of the blob followed the manifest instead of overlapping it.
   */
  async manifestBetweenTurns(): Promise<CompactManifest> {
    const writer = new ManifestTextWriter(this.nodes.length);
    for (let from = 0; from < this.nodes.length; from += MANIFEST_SLICE) {
      this.writeLines(writer, from, Math.min(from + MANIFEST_SLICE, this.nodes.length));
      await ioTurn();
    }
    return writer.finish();
  }

  private writeLines(writer: ManifestTextWriter, from: number, to: number): void {
    const shas = this.cache.cachedShas;
    for (let at = from; at < to; at++) {
      const node = this.nodes[at]!;
      const mode = MODE_DIGITS[node.mode] ?? formatMode(node.mode);
      if (node.type === 'file') {
        const cached = this.cachedAt[at]!;
        if (cached >= 0) writer.addFile(mode, this.identities.size(node.identity), shas, cached * SHA_BYTES, node.path);
        else writer.add('file', mode, this.identities.size(node.identity), this.shas[at]!, node.path);
      }
      else if (node.type === 'dir') writer.add('dir', mode, 0, '-', node.path);
      else writer.add('symlink', mode, 0, node.target, node.path);
    }
  }

  /** Every blob of the tree by sha256. */
  get blobs(): ReadonlyMap<string, LocalBlob> {
    if (!this.blobMap) {
      this.blobMap = new Map();
      for (let at = 0; at < this.nodes.length; at++) {
        const node = this.nodes[at]!;
        if (node.type === 'file') this.blobMap.set(this.sha(at), { absolute: node.absolute, size: this.identities.size(node.identity) });
      }
    }
    return this.blobMap;
  }

  /** Where the bytes of blob `sha256` are; the fresh ones are found without the map of every blob. */
  blob(sha256: string): LocalBlob | undefined {
    return this.fresh.get(sha256) ?? this.blobs.get(sha256);
  }

  private sha(at: number): string {
    const cached = this.cachedAt[at]!;
    return cached >= 0 ? this.cache.shaAt(cached) : this.shas[at]!;
  }

  private entry(at: number): ManifestEntry {
    const node = this.nodes[at]!;
    if (node.type === 'file') return { path: node.path, type: 'file', mode: node.mode, size: this.identities.size(node.identity), sha256: this.sha(at) };
    if (node.type === 'dir') return { path: node.path, type: 'dir', mode: node.mode };
    return { path: node.path, type: 'symlink', mode: node.mode, target: node.target };
  }
}

export interface HashTreeOptions {
  cache: HashCache;
  /** Worker threads hashing at once when there is much to hash. */
  threads: number;
  signal: AbortSignal;
  /** Called after each file hashed or found in the cache. */
  onFile?: (node: FileNode, fromCache: boolean) => void;
  /**
   * Asked once the cache was consulted, with the files to hash: a pipe to hand their bytes to
   * as they are hashed (a cold publish), or undefined. Only used when they are hashed on workers.
   */
  pipe?: (toHash: readonly FileNode[]) => TarPipe | undefined;
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
/**
 * Small files hashed on the workers come back with their bytes, up to a bound: a cold publish
 * then uploads them without a second open, fstat, read and close each (100 000 tiny files: most
 * of the CLI's system time). 64 MiB held at most; bigger files are read again as before.
 */
const KEEP = { fileBytes: 64 * 1024, budgetBytes: 64 * 1024 * 1024 };
/**
 * With a pipelined upload the bytes kept are sent while the next files are hashed and then let
 * go, so files up to a hash batch's size come back with them (the pipe bounds what is held).
 */
const KEEP_PIPED = { fileBytes: 8 * 1024 * 1024, budgetBytes: 0 };

/** Turns walked nodes into manifest entries, hashing only the files the cache cannot vouch for. */
export async function hashTree(tree: Pick<WalkedTree, 'nodes' | 'identities'>, options: HashTreeOptions): Promise<HashedTree> {
  const { cache, signal } = options;
  const { nodes, identities } = tree;
  // sha256 of each file by its place in `nodes` (no map keyed by path: a 100 000-file re-publish
  // would build one only to read it back in the same order).
  const shas: (string | undefined)[] = new Array<string | undefined>(nodes.length);
  const cachedAt = new Int32Array(nodes.length).fill(-1);
  const toHash: { node: FileNode; at: number }[] = [];
  let toHashBytes = 0;
  for (let at = 0; at < nodes.length; at++) {
    const node = nodes[at]!;
    if (node.type !== 'file') continue;
    const cached = cache.lookup(node.path, identities, node.identity);
    if (cached >= 0) {
      cachedAt[at] = cached;
      options.onFile?.(node, true);
    } else {
      toHash.push({ node, at });
      toHashBytes += identities.size(node.identity);
    }
  }

  let hashedBytes = 0;
  let unchangedHashed = 0;
  const fresh = new Map<string, LocalBlob>();
  const settle = ({ node, at }: { node: FileNode; at: number }, outcome: HashedFile, hashedAtMs: number): void => {
    if ('errno' in outcome) throw unreadable(node.absolute, outcome);
    const listedSize = identities.size(node.identity);
    if (outcome.size !== listedSize) {
      throw new CodesyncError('TREE_CHANGED', `${JSON.stringify(node.absolute)} changed while it was read (${listedSize} bytes listed, ${outcome.size} read); publish again once writes settle`);
    }
    cache.record(node.path, identities, node.identity, outcome.sha256, hashedAtMs);
    shas[at] = outcome.sha256;
    // A file touched but not changed (a checkout, `touch`) is no news to the server.
    if (cache.previousSha(node.path) === outcome.sha256) unchangedHashed++;
    else if (outcome.inTar) fresh.set(outcome.sha256, { absolute: node.absolute, size: outcome.size, inTar: true });
    else fresh.set(outcome.sha256, { absolute: node.absolute, size: outcome.size, bytes: outcome.bytes });
    hashedBytes += outcome.size;
    options.onFile?.(node, false);
  };

  if (toHash.length <= MAIN_THREAD_MAX_FILES && toHashBytes <= MAIN_THREAD_MAX_BYTES) {
    const idle = Array.from({ length: MAIN_THREAD_READS }, () => new FileHasher());
    await mapLimit(toHash, MAIN_THREAD_READS, async (file) => {
      const startedMs = Date.now();
      const hasher = idle.pop() as FileHasher;
      const outcome = await hasher.hash(file.node.absolute, signal).finally(() => idle.push(hasher));
      settle(file, outcome, startedMs);
    }, signal);
  } else {
    const jobs = toHash.map((file) => ({ path: file.node.absolute, size: identities.size(file.node.identity), file }));
    // Worker threads load only when there is that much to hash: a re-publish never pays for them.
    const { hashOnWorkers } = await import('./hash-pool.js');
    const pipe = options.pipe?.(toHash.map((file) => file.node));
    await hashOnWorkers(jobs, options.threads, signal, (results, sentAtMs, piece) => {
      let blobs = 0;
      let bytes = 0;
      for (const { job, outcome } of results) {
        settle(job.file, outcome, sentAtMs);
        if ('inTar' in outcome && outcome.inTar) {
          blobs++;
          bytes += outcome.size;
        }
      }
      if (piece) pipe!.take(piece, blobs, bytes);
    }, pipe ? { ...KEEP_PIPED, keepAs: (tarBytes) => pipe.keepAs(tarBytes), spare: (tarBytes) => pipe.spare?.(tarBytes) } : KEEP);
  }

  let files = 0;
  for (const node of nodes) if (node.type === 'file') files++;
  return new HashedTree(nodes, identities, shas, cachedAt, cache, fresh, files, toHash.length, hashedBytes, toHash.length === files && unchangedHashed === 0);
}
