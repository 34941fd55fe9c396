import { createRequire } from 'node:module';
import { constants } from 'node:os';
import type { LibraryHandle } from 'koffi';

let libc: LibraryHandle | null | undefined;

/**
 * A function of glibc that Node has no API for (malloc_trim, mallopt, linkat of an unnamed file,
 * the ioprio_set syscall), called through koffi: prebuilt for each platform, no compile step, and
 * loaded on the first call only, so a process that never needs it never pays for it. Null where
 * it cannot be had (not Linux, no glibc, no koffi): every caller has a plain Node fallback or does
 * without.
 */
export function libcFunction<F>(signature: string): F | null {
  if (libc === undefined) libc = loadLibc();
  if (libc === null) return null;
  try {
    return libc.func(signature) as F;
  } catch {
    return null;
  }
}

/** The errno the last libc call left on this thread, by name ("EEXIST"), as Node's errors give it. */
export function lastErrnoCode(): string {
  const errno = koffi().errno();
  return Object.entries(constants.errno).find(([, value]) => value === errno)?.[0] ?? `errno ${errno}`;
}

function loadLibc(): LibraryHandle | null {
  if (process.platform !== 'linux') return null;
  try {
    return koffi().load('libc.so.6');
  } catch {
    return null;
  }
}

function koffi(): typeof import('koffi') {
  return createRequire(import.meta.url)('koffi') as typeof import('koffi');
}
