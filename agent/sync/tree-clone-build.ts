import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, symlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import type { CompactManifest } from '../../protocol/compact-manifest.js';
import { comparePathBytes } from '../../protocol/paths.js';
import { PathFlusher } from '../cache/durable-fs.js';
import type { ObjectPaths } from './tree-builder.js';
import { CloneEntries } from './clone-entries.js';
import { IMPLIED_DIR_MODE, linkObject } from './tree-steps.js';

/** Entries linked between two looks at the thread's messages (a hurry from the agent). */
const BATCH = 500;
/** Directory fsyncs in flight at once in the thread pool once hurried, as buildTree has them. */
const HURRIED_FLUSHES = 32;

/**
 * The tree of `manifest` at `dir` (which must not exist), the same tree buildTree makes
 * (hardlinks from the cache, directories given their modes, every one flushed), with every
 * system call made on the calling thread: the clone thread's nice and IO class then cover all of
 * its work. buildTree's fsyncs go to libuv's thread pool, which the whole process shares at the
 * agent's priority: the clone's 427 directory fsyncs of a 10 000-file tree ran at full CPU and
 * IO priority, 32 at a time, next to the syncs they were meant to yield to. Serial calls make a
 * clone longer in wall time; it is background work. Yields to the thread's events every BATCH
 * entries; once `hurried()` (a sync waits for this tree), the flushes left go to the thread pool,
 * many at once, as buildTree's do.
 */
export async function cloneTreeOnThisThread(dir: string, manifest: CompactManifest, objects: ObjectPaths, hurried: () => boolean): Promise<void> {
  const entries = new CloneEntries(manifest);
  const dirs = entries.dirs();
  const dirPaths = [...dirs.keys()].sort(comparePathBytes);
  // Entry paths are checked relative paths (no empty, `.` or `..` segment): appended to the
  // normalised root they name what join would, without a normalising pass per file.
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });
  for (const path of dirPaths) mkdirSync(`${root}/${path}`, { mode: 0o755 });
  for (let i = 0; i < entries.length; i++) {
    const entry = entries.at(i);
    if (entry.type === 'file') linkObject(objects.path(entry.sha256, entry.mode), `${root}/${entry.path}`);
    else if (entry.type === 'symlink') symlinkSync(entry.target, `${root}/${entry.path}`);
    if ((i + 1) % BATCH === 0) await yieldToEvents();
  }
  // Children first (a parent sorts before everything under it): a parent without owner write or
  // search bits must never block a child's chmod or open.
  const flusher = new PathFlusher(HURRIED_FLUSHES);
  try {
    for (let i = dirPaths.length - 1; i >= 0; i--) {
      const path = `${root}/${dirPaths[i]!}`;
      chmodSync(path, dirs.get(dirPaths[i]!)!);
      if (hurried()) flusher.add(path);
      else flushSync(path);
      if (i % BATCH === 0) await yieldToEvents();
    }
    chmodSync(root, IMPLIED_DIR_MODE);
    flusher.add(root);
    await flusher.drain();
  } catch (err) {
    // No fsync outlives the build: the caller removes what it left.
    await flusher.settled();
    throw err;
  }
}

function flushSync(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
