import { close, fsync, open } from 'node:fs';
import { promisify } from 'node:util';
import { CodesyncError, isCodesyncError } from '../../protocol/errors.js';
import { mapLimit } from '../../protocol/runtime/map-limit.js';

// Callback fs calls, promisified: a cold build flushes one directory per directory of the tree
// (10 000 at 100 000 files), and a FileHandle's bookkeeping costs more than the calls.
const openPath = promisify(open);
const fsyncFd = promisify(fsync);
const closeFd = promisify(close);

/** Flushes a directory's entries (or a file's data) to disk. */
async function syncPath(path: string): Promise<void> {
  const fd = await openPath(path, 'r');
  try {
    await fsyncFd(fd);
  } finally {
    await closeFd(fd);
  }
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
  await mapLimit(paths, concurrency, syncPath);
}
