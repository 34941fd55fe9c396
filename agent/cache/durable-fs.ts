import { execFile } from 'node:child_process';
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

let syncfsWorks: Promise<boolean> | undefined;

/**
 * Makes every path durable: written data, new names, renames. One `syncfs(2)` (through coreutils
 * `sync -f`) flushes the whole filesystem in a single call, which costs far less than one fsync
 * per file when a sync writes thousands of small objects; without the `sync` binary (distroless
 * images), each path is fsynced instead.
 */
export async function flushPaths(paths: readonly string[], concurrency = 32): Promise<void> {
  if (paths.length === 0) return;
  syncfsWorks ??= syncFilesystem(paths[0]!).then(
    () => true,
    () => false,
  );
  if ((await syncfsWorks) && (await syncFilesystem(paths[0]!).then(() => true, () => false))) return;
  await mapLimit(paths, concurrency, fsyncPath);
}

function syncFilesystem(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('sync', ['-f', path], (err) => (err ? reject(err) : resolve()));
  });
}
