import { lstatSync, renameSync, symlinkSync, unlinkSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tempSibling } from '../../protocol/runtime/durable-write.js';
import { flushPath } from '../cache/durable-fs.js';
import type { AppLayout } from '../cache/layout.js';

/**
 * Points `current` at `target` (relative, e.g. `releases/7`) atomically: a new symlink under a
 * temp name renamed over the old one (rename(2) replaces a name in one step, as git-sync does),
 * then the app directory is flushed so the switch survives a crash.
 */
export async function switchCurrent(layout: AppLayout, target: string): Promise<void> {
  const temp = tempSibling(layout.current);
  // Synchronous: metadata calls of a few µs, where a thread-pool trip cost ~40 µs of CPU on the
  // sync's critical path. The flush waits on the disk, so it goes to the pool.
  symlinkSync(target, temp);
  try {
    renameSync(temp, layout.current);
  } catch (err) {
    try {
      unlinkSync(temp);
    } catch {
      // The rename's failure is the one to report.
    }
    throw err;
  }
  await flushPath(layout.dir);
}

/**
 * Moves the complete tree at `dir` to `releases/<seq>` (replacing what a crash may have left
 * there) and makes the move durable, before `current` may name it. The rename is synchronous, as
 * in switchCurrent.
 */
export async function placeRelease(layout: AppLayout, seq: number, dir: string): Promise<void> {
  const releaseDir = layout.releaseDir(seq);
  if (lstatSync(releaseDir, { throwIfNoEntry: false })) await rm(releaseDir, { recursive: true, force: true });
  renameSync(dir, releaseDir);
  await flushPath(layout.releasesDir);
}
