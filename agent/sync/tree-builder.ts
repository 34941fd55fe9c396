import { chmodSync, lstatSync, mkdirSync, renameSync, symlinkSync } from 'node:fs';
import { rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ManifestDelta } from '../../protocol/delta.js';
import type { ManifestEntry } from '../../protocol/manifest.js';
import { comparePathBytes, parentsOf } from '../../protocol/paths.js';
import { ConfinedDir } from './confined-path.js';
import { flushPaths, PathFlusher } from '../cache/durable-fs.js';
import { isMissing, tempSibling } from '../../protocol/runtime/durable-write.js';
import type { ObjectCache } from '../cache/object-cache.js';
import { IMPLIED_DIR_MODE, inBatches, linkObject, nextTurn, noteDirs } from './tree-steps.js';

/** Link and fsync calls in flight at once: keeps libuv's thread pool busy without flooding it. */
const FS_CONCURRENCY = 32;

/** Delta entries applied between two turns of the event loop. */
const BATCH = 1000;

/** Where the cache keeps each object: all a build needs of it (a clone thread has no cache, only its layout). */
export type ObjectPaths = Pick<ObjectCache, 'path'>;

/**
 * Builds the whole tree of a manifest at `dir` (which must not exist) from cache objects:
 * hardlinks for files, so the cost is one link per file and no data. Every directory is flushed,
 * so the tree is durable once this returns. Entries in canonical order (a manifest's) let each
 * directory be given its mode and flushed as soon as the walk leaves its subtree, so the fsyncs
 * (one per directory: 10 000 at 100 000 files) overlap the linking of the rest.
 */
export async function buildTree(dir: string, entries: Iterable<ManifestEntry>, cache: ObjectPaths, signal: AbortSignal): Promise<void> {
  const dirs = new Map<string, number>();
  let sorted = true;
  let previous: string | undefined;
  for (const entry of entries) {
    if (previous !== undefined && comparePathBytes(previous, entry.path) >= 0) sorted = false;
    previous = entry.path;
    noteDirs(dirs, entry);
  }
  const dirPaths = [...dirs.keys()].sort(comparePathBytes);
  mkdirSync(dir, { recursive: true });
  await inBatches(dirPaths, signal, (path) => mkdirSync(join(dir, path), { mode: 0o755 }));
  const flusher = new PathFlusher(FS_CONCURRENCY);
  const finished = new TreeDirs(dirs, (path) => {
    chmodSync(join(dir, path), dirs.get(path)!);
    flusher.add(join(dir, path));
  });
  try {
    await inBatches(entries, signal, (entry) => {
      if (sorted) finished.enter(entry);
      const path = join(dir, entry.path);
      if (entry.type === 'file') linkObject(cache.path(entry.sha256, entry.mode), path);
      else if (entry.type === 'symlink') symlinkSync(entry.target, path);
    });
    finished.finishAll(dirPaths);
    chmodSync(dir, IMPLIED_DIR_MODE);
    flusher.add(dir);
    await flusher.drain();
  } catch (err) {
    // No fsync outlives the build: the caller removes what it left.
    await flusher.settled();
    throw err;
  }
}

/**
 * The directories of a tree being built, finished (given their mode, flushed) children first:
 * a directory the walk of canonically ordered entries left can gain no entry, since what lies
 * below it sorts contiguously at "<name>/" (a sibling such as "<name>.txt" may fall between the
 * directory's own entry and its contents, so a directory opens at its first entry below).
 */
class TreeDirs {
  /** Directories whose subtree the walk is in, outermost first: the parents of the last entry. */
  private readonly open: string[] = [];
  private readonly finished = new Set<string>();
  /** Directory entries by parent ('' for the root): an empty one finishes with its parent. */
  private readonly listed = new Map<string, string[]>();

  constructor(
    private readonly modes: ReadonlyMap<string, number>,
    private readonly finish: (path: string) => void,
  ) {}

  /** The walk reached `entry`: the directories it left are finished. */
  enter(entry: ManifestEntry): void {
    const open = this.open;
    while (open.length > 0 && !entry.path.startsWith(`${open[open.length - 1]}/`)) this.close(open.pop()!);
    const parents = parentsOf(entry.path);
    for (let depth = open.length; depth < parents.length; depth++) open.push(parents[depth]!);
    if (entry.type === 'dir') {
      const parent = parents.length > 0 ? parents[parents.length - 1]! : '';
      const siblings = this.listed.get(parent);
      if (siblings) siblings.push(entry.path);
      else this.listed.set(parent, [entry.path]);
    }
  }

  /** Finishes every directory not finished yet, children first (all of them when the walk was not in order). */
  finishAll(sortedDirs: readonly string[]): void {
    while (this.open.length > 0) this.close(this.open.pop()!);
    this.closeListed('');
    for (let i = sortedDirs.length - 1; i >= 0; i--) this.close(sortedDirs[i]!);
  }

  private close(path: string): void {
    if (this.finished.has(path) || !this.modes.has(path)) return;
    // Empty directories listed in it first: a parent without owner write or search bits must never block a child's chmod.
    this.closeListed(path);
    this.finished.add(path);
    this.finish(path);
  }

  private closeListed(parent: string): void {
    const listed = this.listed.get(parent);
    if (!listed) return;
    this.listed.delete(parent);
    for (const path of listed) this.close(path);
  }
}

/**
 * Turns a complete copy of the base release (a spare clone) into the target release by applying
 * only the delta. Every name changes by rename or unlink, and each touched directory is flushed.
 * Cost: O(delta), whatever the size of the tree. Metadata calls (lstat, mkdir, link, symlink,
 * rename, chmod) are synchronous, a turn of the event loop given every BATCH entries, as builds
 * do: a one-file change made eight thread-pool trips of ~40 µs of CPU each on the sync's critical
 * path for calls of a few µs. Removals (a whole subtree, maybe) and flushes stay in the pool.
 */
export async function applyDelta(dir: string, delta: ManifestDelta, cache: ObjectPaths, signal: AbortSignal, holds?: (path: string) => boolean): Promise<void> {
  // The delta was checked against the base's manifest; the guard covers a tree changed on disk.
  const tree = new ConfinedDir(dir);
  const touched = new Set<string>();
  const removed = [...delta.removed].sort(comparePathBytes).reverse();
  for (const rel of removed) {
    signal.throwIfAborted();
    const path = await tree.resolve(rel);
    await rm(path, { recursive: true, force: true });
    tree.forget(rel);
    touched.add(dirname(path));
  }
  const upserts = [...delta.added, ...delta.changed].sort((a, b) => comparePathBytes(a.path, b.path));
  const dirModes: [string, number][] = [];
  let done = 0;
  for (const entry of upserts) {
    if (++done % BATCH === 0) await nextTurn(signal);
    signal.throwIfAborted();
    const path = await tree.resolve(entry.path);
    ensureParents(dir, entry.path, touched);
    const existing = lstatSync(path, { throwIfNoEntry: false });
    touched.add(dirname(path));
    if (entry.type === 'dir') {
      if (existing && !existing.isDirectory()) await rm(path, { force: true });
      if (!existing?.isDirectory()) mkdirSync(path, { mode: 0o755 });
      dirModes.push([path, entry.mode]);
      continue;
    }
    if (existing?.isDirectory()) {
      await rm(path, { recursive: true, force: true });
      tree.forget(entry.path);
    }
    const temp = tempSibling(path);
    if (entry.type === 'file') linkObject(cache.path(entry.sha256, entry.mode), temp);
    else symlinkSync(entry.target, temp);
    renameSync(temp, path);
  }
  for (const [path, mode] of dirModes.reverse()) chmodSync(path, mode);
  if (holds) await removeEmptiedDirs(tree, delta.removed, holds, touched);
  await flushPaths([...touched], FS_CONCURRENCY);
}

/**
 * Removes the directories a manifest leaves implicit once they lost their last entry: parents
 * of `removed` paths that the target, as `holds` tells, neither lists nor holds anything under.
 * Deepest first; a directory still holding something the target lacks fails the build.
 */
export async function removeEmptiedDirs(tree: ConfinedDir, removed: Iterable<string>, holds: (path: string) => boolean, touched: Set<string>): Promise<void> {
  const parents = new Set<string>();
  for (const path of removed) for (const parent of parentsOf(path)) parents.add(parent);
  for (const rel of [...parents].sort(comparePathBytes).reverse()) {
    if (holds(rel)) continue;
    const path = await tree.resolve(rel);
    try {
      await rmdir(path);
    } catch (err) {
      if (isMissing(err)) continue;
      throw err;
    }
    touched.delete(path);
    touched.add(dirname(path));
  }
}

/** Creates parent directories a manifest leaves implicit. */
function ensureParents(root: string, path: string, touched: Set<string>): void {
  const parent = dirname(path);
  if (parent === '.') return;
  const made = mkdirSync(join(root, parent), { recursive: true, mode: IMPLIED_DIR_MODE });
  if (!made) return;
  for (let dir = join(root, parent); ; dir = dirname(dir)) {
    touched.add(dir);
    if (dir === made) break;
  }
  touched.add(dirname(made));
}
