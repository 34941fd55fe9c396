import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CodesyncError, isCodesyncError } from '../../protocol/errors.js';
import { forEachLimit } from '../../protocol/runtime/concurrency.js';

/** Flushes a directory's entries (new names, renames, unlinks) to disk. */
export async function fsyncDir(dir: string): Promise<void> {
  await fsyncPath(dir);
}

/**
 * A name next to `path` that no other writer picks, for write-temp-then-rename. Its length does
 * not depend on the name it stands for (26 bytes): a name of NAME_MAX bytes, which a release may
 * hold, still gets a temp name the filesystem accepts.
 */
export function tempSibling(path: string): string {
  return join(dirname(path), `.codesync-tmp-${randomBytes(6).toString('hex')}`);
}

/** Writes a file so a crash leaves either the old or the new content: temp, fsync, rename, fsync dir. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: { fsync?: boolean } = {}): Promise<void> {
  const durable = options.fsync ?? true;
  const temp = tempSibling(path);
  const handle = await open(temp, 'w', 0o644);
  try {
    await handle.writeFile(data);
    if (durable) await handle.sync();
  } catch (err) {
    await handle.close();
    await unlink(temp).catch(() => {});
    throw err;
  }
  await handle.close();
  await rename(temp, path);
  if (durable) await fsyncDir(dirname(path));
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

/** True for "no such file or directory". */
export function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'ENOENT';
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
  await forEachLimit(paths, concurrency, fsyncPath);
}

function syncFilesystem(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('sync', ['-f', path], (err) => (err ? reject(err) : resolve()));
  });
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
