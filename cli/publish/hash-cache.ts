import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { isSha256 } from '../../protocol/sha256.js';
import type { FileIdentity } from './walk-tree.js';

const FORMAT_VERSION = 1;

/**
 * A file whose ctime lies this close to the moment it was hashed may still change within the same
 * timestamp tick without its stat changing (git's "racily clean" problem); such files are not
 * trusted from the cache, so the next publish hashes them again. 2 s covers filesystems with 1 s
 * or 2 s stamps.
 */
export const DEFAULT_RACY_WINDOW_MS = 2000;

/**
 * `[size, mtimeNs, ctimeNs, ino, sha256]`, compact since a tree may hold a million files, and a
 * trailing `1` when the file was hashed within the racy window: its sha256 is remembered (a
 * touched-but-unchanged file is no news to the server) but never vouched for, so the file is read
 * again next time.
 */
type CachedFile = [number, string, string, string, string] | [number, string, string, string, string, 1];

interface CacheFileContents {
  version: number;
  root: string;
  files: Record<string, CachedFile>;
}

export interface HashCacheOptions {
  /** See DEFAULT_RACY_WINDOW_MS. */
  racyWindowMs?: number;
}

/**
 * Remembers the sha256 of each file of one tree keyed on path + size + mtime + ctime + inode, so
 * a re-publish hashes only what changed. Saved atomically (temp file + rename); a missing, stale
 * or corrupt cache file only means hashing everything again.
 */
export class HashCache {
  /** How many lookups found a usable sha256 this run. */
  hits = 0;
  private readonly next = new Map<string, CachedFile>();
  private readonly racyWindowNs: bigint;
  private recorded = 0;

  private constructor(
    readonly file: string,
    readonly root: string,
    private readonly previous: Record<string, CachedFile>,
    options: HashCacheOptions,
  ) {
    this.racyWindowNs = BigInt(options.racyWindowMs ?? DEFAULT_RACY_WINDOW_MS) * 1_000_000n;
  }

  /** Loads the cache of `root` (a realpath) from `file`; starts empty when it cannot be used. */
  static async load(file: string, root: string, options: HashCacheOptions = {}): Promise<HashCache> {
    let files: Record<string, CachedFile> = {};
    try {
      const contents = JSON.parse(await readFile(file, 'utf8')) as Partial<CacheFileContents>;
      if (contents.version === FORMAT_VERSION && contents.root === root && typeof contents.files === 'object' && contents.files) files = contents.files;
    } catch {
      // No cache yet, or one we cannot read: hash everything.
    }
    return new HashCache(file, root, files, options);
  }

  /** The cached sha256 of `path` if its identity is exactly what it was when hashed. */
  lookup(path: string, identity: FileIdentity): string | undefined {
    const cached = Object.hasOwn(this.previous, path) ? this.previous[path] : undefined;
    if (!cached || cached[5] === 1 || !sameIdentity(cached, identity) || !isSha256(cached[4])) return undefined;
    this.next.set(path, cached);
    this.hits++;
    return cached[4];
  }

  /** The sha256 the previous run recorded for `path`, whatever its identity was then. */
  previousSha(path: string): string | undefined {
    return Object.hasOwn(this.previous, path) ? this.previous[path]![4] : undefined;
  }

  /** Records a fresh hash; `hashedAtNs` is wall-clock time (ns) taken before the file was read. */
  record(path: string, identity: FileIdentity, sha256: string, hashedAtNs: bigint): void {
    this.recorded++;
    const entry: CachedFile = [identity.size, String(identity.mtimeNs), String(identity.ctimeNs), String(identity.ino), sha256];
    this.next.set(path, hashedAtNs - identity.ctimeNs < this.racyWindowNs ? [...entry, 1] : entry);
  }

  /**
   * Writes the entries seen this run (so deleted files drop out) with write-temp-then-rename;
   * skipped when every file was a hit and none went away, the common case of a no-op publish.
   */
  async save(): Promise<void> {
    if (this.recorded === 0 && this.next.size === Object.keys(this.previous).length) return;
    const contents: CacheFileContents = { version: FORMAT_VERSION, root: this.root, files: Object.fromEntries(this.next) };
    const temp = `${this.file}.${process.pid}.tmp`;
    await mkdir(dirname(this.file), { recursive: true });
    try {
      await writeFile(temp, JSON.stringify(contents));
      await rename(temp, this.file);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }
}

function sameIdentity(cached: CachedFile, identity: FileIdentity): boolean {
  return cached[0] === identity.size && cached[1] === String(identity.mtimeNs) && cached[2] === String(identity.ctimeNs) && cached[3] === String(identity.ino);
}

/** Now as wall-clock nanoseconds, comparable with file timestamps. */
export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/**
 * Default cache file of a tree: `$XDG_CACHE_HOME/codesync/publish/<hash of realpath>.json`,
 * `~/.cache/codesync/...` without XDG_CACHE_HOME.
 */
export function defaultCacheFile(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const key = createHash('sha256').update(root).digest('hex').slice(0, 32);
  return join(base, 'codesync', 'publish', `${key}.json`);
}
