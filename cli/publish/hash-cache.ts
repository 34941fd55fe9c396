import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FileIdentities } from './file-identities.js';
import { writeAll } from './write-all.js';

const FORMAT_VERSION = 3;

/**
 * A file whose ctime lies this close to the moment it was hashed may still change within the same
 * timestamp tick without its stat changing (git's "racily clean" problem); such files are not
 * trusted from the cache, so the next publish hashes them again. 2 s covers filesystems with 1 s
 * or 2 s stamps.
 */
export const DEFAULT_RACY_WINDOW_MS = 2000;

/** Per entry: size, mtime (ms), ctime (ms), inode, as lstat's doubles (file-identities.ts). */
const IDENTITY_FIELDS = 4;
/** Bytes of each raw sha256 in `cachedShas`. */
export const SHA_BYTES = 32;
/** Flag of an entry hashed within the racy window: its sha256 is remembered but never vouched for. */
const RACY = 1;
/** Place held in the save order by a file looked up but not yet hashed. */
const PENDING = Symbol('pending');
/** A byte (read as latin1) that is not ASCII: the path text needs a UTF-8 decode per path. */
const NON_ASCII = /[\x80-\xff]/;
/**
 * Bytes read for a header by `peekFiles`: it holds the root's path (PATH_MAX is 4096 bytes); a
 * longer header (a root of characters JSON escapes) is not peeked, the walk then starts its helper as before.
 */
const HEADER_PEEK_BYTES = 8192;
/** Previous entries looked at past the cursor before falling back to a map of them all. */
const LOOK_AHEAD = 4;

export interface HashCacheOptions {
  /** See DEFAULT_RACY_WINDOW_MS. */
  racyWindowMs?: number;
}

/** The entries of one cache file, column by column (the file's layout, see `encode`). */
interface Columns {
  paths: string[];
  /** The paths' bytes as the file holds them, and where each ends: kept runs are copied from them on save. */
  pathText: Buffer;
  pathEnds: Uint32Array;
  /** IDENTITY_FIELDS values per entry. */
  identities: Float64Array;
  flags: Uint8Array;
  /** SHA_BYTES raw bytes per entry. */
  shas: Buffer;
}

/** A file hashed this run, to be saved: its identity is at `slot` of the walk's `identities`. */
interface NextEntry {
  identities: FileIdentities;
  slot: number;
  sha256: string;
  racy: boolean;
}

/**
 * Remembers the sha256 of each file of one tree keyed on path + size + mtime + ctime + inode, so
 * a re-publish hashes only what changed. The file is a JSON header line and then fixed-width
 * binary columns (identities, flags, raw sha256s, path offsets, path bytes): a 100 000-file tree
 * loads without parsing a JSON object per file and saves in one write. Saved atomically (temp
 * file + rename), and only when something changed; a missing, stale or corrupt cache file only
 * means hashing everything again.
 */
export class HashCache {
  /** How many lookups found a usable sha256 this run. */
  hits = 0;
  /**
   * The entries to save, in the order they were looked up (the walk's), each path once: a kept
   * entry is its index in the previous file, a miss is PENDING until `record` fills its place.
   * So the file stays in walk order, and the next run finds each path where its cursor points.
   * Arrays, not a map by path: a 100 000-file run would hash every path into a map only to read
   * it back in order.
   */
  private readonly nextPaths: string[] = [];
  private readonly next: (NextEntry | number | typeof PENDING)[] = [];
  /** Where a path looked up and missed waits in `next` for its `record`. */
  private readonly pendingAt = new Map<string, number>();
  private readonly racyWindowMs: number;
  /** Path → index in the previous file, built only if a lookup finds a path out of order. */
  private index: Map<string, number> | undefined;
  /** Where the previous file's next path in walk order most likely is. */
  private cursor = 0;
  /** Paths the previous file holds that missed (changed or racy): their index there, for `previousSha`. */
  private readonly stale = new Map<string, number>();
  private recorded = 0;

  private constructor(
    readonly file: string,
    readonly root: string,
    private readonly previous: Columns,
    options: HashCacheOptions,
  ) {
    this.racyWindowMs = options.racyWindowMs ?? DEFAULT_RACY_WINDOW_MS;
  }

  /**
   * Loads the cache of `root` (a realpath) from `file`; starts empty when it cannot be used.
   * Synchronous: one read of a few MB costs less than readFile's 512 KiB trips through the thread
   * pool, and a big tree's publish loads it while a helper thread lstats (walk-tree.ts).
   */
  static load(file: string, root: string, options: HashCacheOptions = {}): HashCache {
    let columns: Columns | undefined;
    try {
      columns = decode(readFileSync(file), root);
    } catch {
      // No cache yet, or one we cannot read: hash everything.
    }
    return new HashCache(file, root, columns ?? { paths: [], pathText: Buffer.alloc(0), pathEnds: new Uint32Array(0), identities: new Float64Array(0), flags: new Uint8Array(0), shas: Buffer.alloc(0) }, options);
  }

  /**
   * How many files the cache of `root` in `file` holds (the last run's count), read off its header
   * alone; undefined without a usable one. What tells a walk early that a tree is big.
   */
  static peekFiles(file: string, root: string): number | undefined {
    let fd: number | undefined;
    try {
      fd = openSync(file, 'r');
      const head = Buffer.allocUnsafe(HEADER_PEEK_BYTES);
      const read = readSync(fd, head, 0, head.length, 0);
      const newline = head.subarray(0, read).indexOf(0x0a);
      if (newline < 0) return undefined;
      const header = JSON.parse(head.toString('utf8', 0, newline)) as { version?: unknown; root?: unknown; entries?: unknown };
      return header.version === FORMAT_VERSION && header.root === root && Number.isSafeInteger(header.entries) ? (header.entries as number) : undefined;
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /**
   * Where the cached sha256 of `path` lies in `cachedShas` (see `shaAt`) if its identity is exactly
   * what it was when hashed, else -1; each path is looked up once a run. An index, not a hex
   * string: a 100 000-file re-publish made a string per file only for the manifest to copy it.
   */
  lookup(path: string, identities: FileIdentities, slot: number): number {
    const i = this.indexOf(path);
    this.nextPaths.push(path);
    if (i === undefined || this.previous.flags[i] === RACY || !this.sameIdentity(i, identities, slot)) {
      this.pendingAt.set(path, this.next.length);
      this.next.push(PENDING);
      if (i !== undefined) this.stale.set(path, i);
      return -1;
    }
    this.next.push(i);
    this.hits++;
    return i;
  }

  /** The raw sha256s of the previous file, SHA_BYTES each, in the order `lookup`'s indexes count. */
  get cachedShas(): Buffer {
    return this.previous.shas;
  }

  /** The sha256 (hex) at an index `lookup` gave. */
  shaAt(index: number): string {
    return this.sha(index);
  }

  /** The sha256 the previous run recorded for `path`, whatever its identity was then. */
  previousSha(path: string): string | undefined {
    const i = this.stale.get(path) ?? this.indexed().get(path);
    return i === undefined ? undefined : this.sha(i);
  }

  /**
   * Records a fresh hash of the file whose identity is at `slot` of `identities`; `hashedAtMs` is
   * wall-clock time (Date.now()) taken before the file was read.
   */
  record(path: string, identities: FileIdentities, slot: number, sha256: string, hashedAtMs: number): void {
    this.recorded++;
    const entry = { identities, slot, sha256, racy: hashedAtMs - identities.ctimeMs(slot) < this.racyWindowMs };
    const at = this.pendingAt.get(path);
    if (at !== undefined) {
      this.next[at] = entry;
      this.pendingAt.delete(path);
    } else {
      this.nextPaths.push(path);
      this.next.push(entry);
    }
  }

  /**
   * Writes the entries seen this run (so deleted files drop out) with write-temp-then-rename;
   * skipped when every file was a hit and none went away, the common case of a no-op publish.
   */
  async save(): Promise<void> {
    if (this.recorded === 0 && this.next.length === this.previous.paths.length) return;
    const temp = `${this.file}.${process.pid}.tmp`;
    await mkdir(dirname(this.file), { recursive: true });
    try {
      // Its parts as they are, not concatenated first (a copy of several MB at 100 000 files).
      const handle = await open(temp, 'w');
      try {
        await writeAll(handle, this.encode());
      } finally {
        await handle.close();
      }
      await rename(temp, this.file);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  /**
   * The previous file's index of `path`. Lookups come in walk order and the file was saved in
   * it, so the path is almost always at the cursor (or a step or two past it, after a deletion):
   * a 100 000-entry map is built only when it is not.
   */
  private indexOf(path: string): number | undefined {
    const paths = this.previous.paths;
    const end = Math.min(this.cursor + LOOK_AHEAD, paths.length);
    for (let i = this.cursor; i < end; i++) {
      if (paths[i] === path) {
        this.cursor = i + 1;
        return i;
      }
    }
    const i = this.indexed().get(path);
    if (i !== undefined) this.cursor = i + 1;
    return i;
  }

  private indexed(): Map<string, number> {
    if (!this.index) {
      this.index = new Map();
      this.previous.paths.forEach((path, i) => this.index!.set(path, i));
    }
    return this.index;
  }

  private sha(i: number): string {
    return this.previous.shas.toString('hex', i * SHA_BYTES, (i + 1) * SHA_BYTES);
  }

  private sameIdentity(i: number, identities: FileIdentities, slot: number): boolean {
    const at = i * IDENTITY_FIELDS;
    const ids = this.previous.identities;
    return ids[at] === identities.size(slot) && ids[at + 1] === identities.mtimeMs(slot) && ids[at + 2] === identities.ctimeMs(slot) && ids[at + 3] === identities.ino(slot);
  }

  /**
   * The file's parts, in order: header line, identities, flags, sha256s, path end offsets, path
   * bytes. Entries kept from the previous file mostly come in its order: each column takes a run
   * of them as a view of the previous one (copying every column, ~7 MB at 100 000 files, was
   * fresh pages to fault in for a one-file change); only the fresh entries get columns of their own.
   */
  private encode(): Buffer[] {
    let count = 0;
    let fresh = 0;
    for (const entry of this.next) {
      if (entry !== PENDING) count++;
      if (entry !== PENDING && typeof entry !== 'number') fresh++;
    }
    const made = { identities: new Float64Array(fresh * IDENTITY_FIELDS), flags: new Uint8Array(fresh), shas: Buffer.allocUnsafe(fresh * SHA_BYTES), ends: new Uint32Array(fresh) };
    const parts = { identities: [] as Buffer[], flags: [] as Buffer[], shas: [] as Buffer[], ends: [] as Buffer[], paths: [] as Buffer[] };
    const previous = this.previous;
    const previousEnds = previous.pathEnds;
    let pathBytes = 0;
    let runFrom = 0;
    let runTo = 0;
    const flushRun = (): void => {
      if (runTo === runFrom) return;
      parts.identities.push(bytesOf(previous.identities.subarray(runFrom * IDENTITY_FIELDS, runTo * IDENTITY_FIELDS)));
      parts.flags.push(bytesOf(previous.flags.subarray(runFrom, runTo)));
      parts.shas.push(previous.shas.subarray(runFrom * SHA_BYTES, runTo * SHA_BYTES));
      const textFrom = runFrom === 0 ? 0 : previousEnds[runFrom - 1]!;
      parts.paths.push(previous.pathText.subarray(textFrom, previousEnds[runTo - 1]));
      // As they were; copied and shifted only when the paths before the run changed in length (a
      // loop over a 100 000-entry run, run once a process, stays in the interpreter: ~20 ms).
      let ends = previousEnds.subarray(runFrom, runTo);
      const shift = pathBytes - textFrom;
      if (shift !== 0) {
        ends = ends.slice();
        for (let k = 0; k < ends.length; k++) ends[k] = ends[k]! + shift;
      }
      parts.ends.push(bytesOf(ends));
      pathBytes += previousEnds[runTo - 1]! - textFrom;
      runFrom = runTo;
    };
    let f = 0;
    let freshFrom = 0;
    const flushFresh = (): void => {
      if (f === freshFrom) return;
      parts.identities.push(bytesOf(made.identities.subarray(freshFrom * IDENTITY_FIELDS, f * IDENTITY_FIELDS)));
      parts.flags.push(bytesOf(made.flags.subarray(freshFrom, f)));
      parts.shas.push(made.shas.subarray(freshFrom * SHA_BYTES, f * SHA_BYTES));
      parts.ends.push(bytesOf(made.ends.subarray(freshFrom, f)));
      freshFrom = f;
    };
    for (let at = 0; at < this.next.length; at++) {
      const entry = this.next[at]!;
      if (entry === PENDING) continue;
      if (typeof entry === 'number') {
        if (entry !== runTo || runTo === runFrom) {
          flushFresh();
          flushRun();
          runFrom = entry;
          runTo = entry;
        }
        runTo++;
      } else {
        flushRun();
        const { identities: walked, slot } = entry;
        const base = f * IDENTITY_FIELDS;
        made.identities[base] = walked.size(slot);
        made.identities[base + 1] = walked.mtimeMs(slot);
        made.identities[base + 2] = walked.ctimeMs(slot);
        made.identities[base + 3] = walked.ino(slot);
        made.flags[f] = entry.racy ? RACY : 0;
        made.shas.write(entry.sha256, f * SHA_BYTES, SHA_BYTES, 'hex');
        const pathPart = Buffer.from(this.nextPaths[at]!);
        parts.paths.push(pathPart);
        pathBytes += pathPart.length;
        made.ends[f++] = pathBytes;
      }
    }
    flushFresh();
    flushRun();
    // Padded to a multiple of 8 bytes, so the identities that follow are read in place (decode).
    const json = JSON.stringify({ version: FORMAT_VERSION, root: this.root, entries: count, pathBytes });
    const header = Buffer.from(`${json}${' '.repeat((8 - ((Buffer.byteLength(json) + 1) % 8)) % 8)}\n`);
    return [header, ...parts.identities, ...parts.flags, ...parts.shas, ...parts.ends, ...parts.paths];
  }
}

/** The columns of a cache file of `root`; throws on a file of another tree, format or length. */
function decode(data: Buffer, root: string): Columns {
  const newline = data.indexOf(0x0a);
  const header = JSON.parse(data.toString('utf8', 0, newline)) as { version?: unknown; root?: unknown; entries?: unknown; pathBytes?: unknown };
  const { entries: count, pathBytes } = header;
  if (header.version !== FORMAT_VERSION || header.root !== root || !Number.isSafeInteger(count) || !Number.isSafeInteger(pathBytes)) throw new Error('not a cache of this tree');
  const n = count as number;
  let at = newline + 1;
  // The columns are views of the file's buffer where it is its own memory (a big file's is) and
  // the typed arrays' offsets are aligned (the header is padded for that, see encode): copies of
  // a 100 000-file cache were ~9 MB of fresh pages, each a fault. Otherwise, or where an offset
  // is not aligned, a column is copied into a buffer of its own (Buffer.alloc never shares a pool).
  const own = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
  const take = (bytes: number, alignment: number): Buffer => {
    if (at + bytes > data.length) throw new Error('cache file cut short');
    let part: Buffer;
    if (own && at % alignment === 0) part = data.subarray(at, at + bytes);
    else {
      part = Buffer.alloc(bytes);
      data.copy(part, 0, at, at + bytes);
    }
    at += bytes;
    return part;
  };
  const identityBytes = take(n * IDENTITY_FIELDS * 8, 8);
  const flags = take(n, 1);
  const shas = take(n * SHA_BYTES, 1);
  const endBytes = take(n * 4, 4);
  const text = take(pathBytes as number, 1);
  if (at !== data.length) throw new Error('cache file has trailing bytes');
  const identities = new Float64Array(identityBytes.buffer, identityBytes.byteOffset, n * IDENTITY_FIELDS);
  const pathEnds = new Uint32Array(endBytes.buffer, endBytes.byteOffset, n);
  const paths: string[] = [];
  // All ASCII (the usual tree): byte offsets are string offsets, and each path is a slice of one
  // decoded string rather than a decode call of its own (100 000 of them were most of a load).
  const whole = text.toString('latin1');
  const ascii = !NON_ASCII.test(whole);
  let start = 0;
  for (const end of pathEnds) {
    if (end < start || end > text.length) throw new Error('cache file has bad path offsets');
    paths.push(ascii ? whole.slice(start, end) : text.toString('utf8', start, end));
    start = end;
  }
  return { paths, pathText: text, pathEnds, identities, flags, shas };
}

function bytesOf(array: Float64Array | Uint32Array | Uint8Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}


/**
 * Default cache file of a tree: `$XDG_CACHE_HOME/codesync/publish/<hash of realpath>.cache`,
 * `~/.cache/codesync/...` without XDG_CACHE_HOME.
 */
export function defaultCacheFile(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const key = createHash('sha256').update(root).digest('hex').slice(0, 32);
  return join(base, 'codesync', 'publish', `${key}.cache`);
}
