import { CodesyncError, isCodesyncError } from '../../protocol/errors.js';
import { mapLimit } from '../../protocol/runtime/map-limit.js';
import { fsyncPath } from '../../protocol/runtime/durable-write.js';

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
  await mapLimit(paths, concurrency, fsyncPath);
}
