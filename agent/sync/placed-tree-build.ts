import { chmodSync, mkdirSync, symlinkSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { CompactManifest } from '../../protocol/compact-manifest.js';
import { comparePathBytes, parentsOf } from '../../protocol/paths.js';
import { PathFlusher } from '../cache/durable-fs.js';
import type { ObjectCache } from '../cache/object-cache.js';
import { IMPLIED_DIR_MODE, inBatches, linkObject, nextTurn } from './tree-steps.js';

/** fsyncs of finished directories in flight at once (as buildTree). */
const FS_CONCURRENCY = 32;
/** Synchronous metadata calls between two turns of the event loop. */
const BATCH = 1000;

/** What a build needs of the cache: where an object lives, and word of each one placed. */
export type PlacedObjects = Pick<ObjectCache, 'path' | 'watchPlaced' | 'claimFiles'>;

/**
 * A full build of a manifest's tree at `dir` that runs during the fetch instead of after it:
 * each file is hardlinked as soon as its object is placed in the cache (whole, verified, its data
 * durable), and each directory is given its mode and flushed once everything in it is there. A
 * pack arrives in sha256 order, not the tree's, so a directory is finished by counting what it
 * still waits for, children first (a parent without owner write never blocks a child). The tree
 * lives under `.staging` until `finish` returns it whole and durable; only then may it be switched
 * to, after the cache's own flush. Objects the cache held before are linked by `finish`.
 * A bulk-written object's first file is claimed (`claim`): the write worker writes the object
 * there and names the object from it, so that file costs no link of its own.
 */
export class PlacedTreeBuild {
  /**
   * File entries not linked yet, by the first 28 bits of their content's sha256 (contentKey): their
   * indices in the manifest, one number for most. A number key, not the 64-character hex string,
   * holds ~90 bytes less per blob for the whole fetch (~9 MiB at 100 000 blobs); the few entries
   * two contents share a key with are told apart by linkIf, which compares the full object path.
   */
  private readonly unlinked = new Map<number, number | number[]>();
  /** Per directory ('' is `dir` itself): what it still waits for (files, symlinks, directories). */
  private readonly waiting = new Map<string, number>();
  private readonly modes = new Map<string, number>();
  private readonly flusher = new PathFlusher(FS_CONCURRENCY);
  /** Objects placed before the tree's directories were made: linked once they are. */
  private early: Array<[string, string]> | undefined = [];
  private failure: { err: unknown } | undefined;
  /** Files given to the write worker (`claim`), by full path: their entries' parents, until placed. */
  private readonly claimed = new Map<string, string>();
  private readonly stopWatching: () => void;
  private readonly stopClaiming: () => void;
  private readonly started: Promise<void>;

  /** Starts the build (the directories are made while the fetch begins); `finish` or `abandon` it. */
  constructor(
    private readonly dir: string,
    private readonly manifest: CompactManifest,
    private readonly cache: PlacedObjects,
    signal: AbortSignal,
  ) {
    this.stopWatching = cache.watchPlaced((sha256, path, file) => this.placed(sha256, path, file));
    this.stopClaiming = cache.claimFiles((sha256, mode) => this.claim(sha256, mode));
    this.started = this.start(signal);
    // Awaited by finish or abandon; until then a failure must not be unhandled.
    this.started.catch(() => {});
  }

  /** Resolves once the tree's directories are made: from then on placed objects are linked (or claimed) at once. */
  async ready(): Promise<void> {
    await this.started;
  }

  private async start(signal: AbortSignal): Promise<void> {
    const { dir, manifest } = this;
    // A build an earlier attempt left.
    await rm(dir, { recursive: true, force: true });
    const symlinks: number[] = [];
    this.waiting.set('', 0);
    for (let i = 0; i < manifest.length; i++) {
      const entry = manifest.entry(i);
      const parents = parentsOf(entry.path);
      for (const parent of parents) this.addDir(parent, IMPLIED_DIR_MODE);
      if (entry.type === 'dir') {
        this.addDir(entry.path, entry.mode);
        this.modes.set(entry.path, entry.mode);
        continue;
      }
      this.expect(parents.at(-1) ?? '');
      if (entry.type === 'symlink') symlinks.push(i);
      else {
        const key = contentKey(entry.sha256);
        const known = this.unlinked.get(key);
        if (known === undefined) this.unlinked.set(key, i);
        else if (typeof known === 'number') this.unlinked.set(key, [known, i]);
        else known.push(i);
      }
      if (i % BATCH === BATCH - 1) await nextTurn(signal);
    }
    mkdirSync(dir, { recursive: true });
    // Parents sort before their children.
    const dirs = [...this.modes.keys()].sort(comparePathBytes);
    await inBatches(dirs, signal, (path) => mkdirSync(this.under(path), { mode: 0o755 }));
    await inBatches(symlinks, signal, (i) => {
      const entry = manifest.entry(i);
      if (entry.type !== 'symlink') return;
      symlinkSync(entry.target, this.under(entry.path));
      this.done(parentOf(entry.path));
    });
    // Empty directories, deepest first.
    for (let i = dirs.length - 1; i >= 0; i--) if (this.waiting.get(dirs[i]!) === 0) this.finishDir(dirs[i]!);
    const early = this.early!;
    this.early = undefined;
    for (const [sha256, path] of early) this.placed(sha256, path);
  }

  /**
   * Where the tree's entry `path` goes: `join` without its normalising pass, which made the most
   * garbage of a cold sync's event loop (~8 of ~120 MB at 10 000 files). The same path: `dir` is
   * normal (made by join) and an entry path has no empty, `.` or `..` segment (validated).
   */
  private under(path: string): string {
    return `${this.dir}/${path}`;
  }

  /** A directory first seen: one more thing its parent waits for. */
  private addDir(path: string, mode: number): void {
    if (this.modes.has(path)) return;
    this.modes.set(path, mode);
    this.waiting.set(path, this.waiting.get(path) ?? 0);
    this.expect(parentOf(path));
  }

  private expect(dir: string): void {
    this.waiting.set(dir, (this.waiting.get(dir) ?? 0) + 1);
  }

  /**
   * A file of this tree for the object (sha256, mode), not linked yet, given to the object's
   * write (counted as done once the object is placed there); undefined while the directories
   * are still being made, after a failure, or when no entry waits for it.
   */
  private claim(sha256: string, mode: number): string | undefined {
    if (this.early || this.failure) return undefined;
    const key = contentKey(sha256);
    const indices = this.unlinked.get(key);
    if (indices === undefined) return undefined;
    const list = typeof indices === 'number' ? [indices] : indices;
    const at = list.findIndex((i) => {
      const entry = this.manifest.entry(i);
      return entry.type === 'file' && entry.sha256 === sha256 && entry.mode === mode;
    });
    if (at < 0) return undefined;
    const entry = this.manifest.entry(list[at]!);
    if (typeof indices === 'number') this.unlinked.delete(key);
    else {
      indices.splice(at, 1);
      if (indices.length === 0) this.unlinked.delete(key);
    }
    const file = this.under(entry.path);
    this.claimed.set(file, parentOf(entry.path));
    return file;
  }

  /** An object was placed: the files holding it under its mode are linked (`file`, claimed, holds it already). */
  private placed(sha256: string, path: string, file?: string): void {
    if (this.failure) return;
    if (file !== undefined) {
      const parent = this.claimed.get(file);
      if (parent !== undefined) {
        this.claimed.delete(file);
        this.done(parent);
      }
    }
    if (this.early) {
      this.early.push([sha256, path]);
      return;
    }
    const key = contentKey(sha256);
    const indices = this.unlinked.get(key);
    if (indices === undefined) return;
    try {
      if (typeof indices === 'number') {
        if (this.linkIf(indices, path)) this.unlinked.delete(key);
        return;
      }
      const left = indices.filter((i) => !this.linkIf(i, path));
      if (left.length === 0) this.unlinked.delete(key);
      else this.unlinked.set(key, left);
    } catch (err) {
      this.failure ??= { err };
    }
  }

  /** Links file entry `i` when its object is the one at `path` (or, without `path`, whichever it names); true once linked. */
  private linkIf(i: number, path?: string): boolean {
    const entry = this.manifest.entry(i);
    if (entry.type !== 'file') return true;
    const object = this.cache.path(entry.sha256, entry.mode);
    if (path !== undefined && object !== path) return false;
    linkObject(object, this.under(entry.path));
    this.done(parentOf(entry.path));
    return true;
  }

  private done(dir: string): void {
    const waiting = this.waiting.get(dir);
    if (waiting === undefined) return;
    const left = waiting - 1;
    if (left > 0) this.waiting.set(dir, left);
    else this.finishDir(dir);
  }

  /** Everything in `path` is there: its mode, its fsync, and one thing fewer for its parent. */
  private finishDir(path: string): void {
    this.waiting.delete(path);
    const full = path === '' ? this.dir : this.under(path);
    chmodSync(full, path === '' ? IMPLIED_DIR_MODE : this.modes.get(path)!);
    this.flusher.add(full);
    if (path !== '') this.done(parentOf(path));
  }

  /**
   * Links what is left (objects the cache held before the fetch: call once every wanted object
   * is placed) and waits until the whole tree is durable; returns its directory.
   */
  async finish(signal: AbortSignal): Promise<string> {
    try {
      await this.started;
      this.stopWatching();
      this.stopClaiming();
      if (this.failure) throw this.failure.err;
      // Every object was placed before the fetch returned: a file still claimed was never written.
      if (this.claimed.size > 0) throw new Error(`${this.claimed.size} file(s) of the tree were never written, e.g. ${this.claimed.keys().next().value}`);
      const left = [...this.unlinked.values()].flatMap((indices) => (typeof indices === 'number' ? [indices] : indices));
      this.unlinked.clear();
      await inBatches(left, signal, (i) => this.linkIf(i));
      // Each directory finished itself when its last child did; any left (none, when the counts
      // hold) is finished here, children first.
      for (const path of [...this.waiting.keys()].sort(comparePathBytes).reverse()) if (this.waiting.has(path)) this.finishDir(path);
      await this.flusher.drain();
      return this.dir;
    } catch (err) {
      await this.abandon();
      throw err;
    }
  }

  /** Stops the build and removes what it made; no fsync outlives it. */
  async abandon(): Promise<void> {
    this.stopWatching();
    this.stopClaiming();
    this.failure ??= { err: new Error('abandoned') };
    await this.started.catch(() => {});
    await this.flusher.settled();
    await rm(this.dir, { recursive: true, force: true }).catch(() => {});
  }
}

/**
 * The first 28 bits of a sha256 in hex: a small integer (V8 keeps it unboxed), spread evenly
 * by the hash. Not unique: a key only narrows the entries `placed` checks.
 */
function contentKey(sha256: string): number {
  return Number.parseInt(sha256.slice(0, 7), 16);
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}
