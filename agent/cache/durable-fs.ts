import { closeSync, fdatasync, fsync, openSync, renameSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { CodesyncError, isCodesyncError } from '../../protocol/errors.js';
import { isMissing, tempSibling } from '../../protocol/runtime/durable-write.js';
import { mapLimit } from '../../protocol/runtime/map-limit.js';
import { writeFully, writeFullySync } from './full-write.js';

const fsyncFd = promisify(fsync);
const fdatasyncFd = promisify(fdatasync);

/** Bytes writeFileDurably writes on the calling thread (a manifest delta, state.json); more go to the thread pool. */
const SYNC_WRITE_BYTES = 256 * 1024;

/**
 * Flushes a directory's entries (or a file's data) to disk: one thread-pool trip, the fsync. The
 * open and the close are made on the calling thread: they touch no disk (the paths are ones this
 * process just wrote under, their names cached), and as trips of their own they tripled the
 * event loop's work per directory — a cold build flushes one per directory of the tree (~650 at
 * 2 000 files), a one-file sync four or five.
 */
export async function flushPath(path: string): Promise<void> {
  const fd = openSync(path, 'r');
  try {
    await fsyncFd(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a small file so that a reader, or a restart after kill -9, sees the old content or the
 * whole new one (protocol's writeFileAtomic: temp file, data synced, rename, directory flushed).
 * Two thread-pool trips: the fdatasync and the directory's fsync, which wait on the disk; the
 * open, the write into the page cache (up to SYNC_WRITE_BYTES; a larger one, a full manifest of a
 * big tree, goes to the pool), the close and the rename are made on the calling thread, a few µs
 * each where a trip cost ~40 µs of CPU. Its directory is made when missing. What a one-file sync
 * writes before its switch (the manifest delta) took ten trips and a recursive mkdir, then five.
 */
export async function writeFileDurably(path: string, data: string | Buffer): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const temp = tempSibling(path);
  try {
    let fd: number;
    try {
      fd = openSync(temp, 'w', 0o644);
    } catch (err) {
      if (!isMissing(err)) throw err;
      await mkdir(dirname(path), { recursive: true });
      fd = openSync(temp, 'w', 0o644);
    }
    try {
      if (bytes.length <= SYNC_WRITE_BYTES) writeFullySync(fd, bytes, temp);
      else await writeFully(fd, bytes, temp);
      await fdatasyncFd(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  await flushPath(dirname(path));
}

/**
 * Turns the filesystem errors an operator must act on into stable codes: a full disk and an
 * unwritable root. Anything else passes through unchanged.
 */
export function classifyFsError(err: unknown, where: string): unknown {
  if (isCodesyncError(err)) return err;
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new CodesyncError('DISK_FULL', `no space left on the device holding ${where}`, { cause: err });
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new CodesyncError('ROOT_NOT_WRITABLE', `cannot write under ${where}: ${(err as Error).message}`, { cause: err });
  }
  return err;
}

/**
 * Makes every path durable (written data, new names, renames): one fsync each, `concurrency` at
 * a time in the thread pool. Bounded by what the caller wrote; never `syncfs(2)` (`sync -f`),
 * which waits for every dirty page of the filesystem — unbounded on a node pulling images.
 */
export async function flushPaths(paths: readonly string[], concurrency = 64): Promise<void> {
  await mapLimit(paths, concurrency, flushPath);
}

/**
 * Flushes paths as they are handed in, `concurrency` at a time in the thread pool, so the fsyncs
 * of a tree's finished directories overlap the making of the rest. `drain` waits for every path
 * added and throws the first failure; after a failure later paths are not flushed.
 */
export class PathFlusher {
  private readonly concurrency: number;
  private readonly queue: string[] = [];
  private next = 0;
  private running = 0;
  private failure: { err: unknown } | undefined;
  private idleWaiters: Array<() => void> = [];

  constructor(concurrency = 64) {
    this.concurrency = concurrency;
  }

  add(path: string): void {
    this.queue.push(path);
    this.pump();
  }

  /** Resolves once every path added so far is flushed; throws the first failure. */
  async drain(): Promise<void> {
    await this.settled();
    if (this.failure) throw this.failure.err;
  }

  /** Resolves once nothing is in flight or queued, failed or not. */
  settled(): Promise<void> {
    if (this.running === 0 && (this.failure || this.next === this.queue.length)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (!this.failure && this.running < this.concurrency && this.next < this.queue.length) {
      const path = this.queue[this.next++]!;
      this.running++;
      flushPath(path).then(
        () => this.done(),
        (err: unknown) => {
          this.failure ??= { err };
          this.done();
        },
      );
    }
  }

  private done(): void {
    this.running--;
    this.pump();
    if (this.running > 0 || (!this.failure && this.next < this.queue.length)) return;
    // Flushed paths are not held: a cold build adds one per directory of the tree.
    this.queue.length = 0;
    this.next = 0;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
