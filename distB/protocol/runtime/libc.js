import { createRequire } from 'node:module';
import { constants } from 'node:os';
let libc;
/**
 * A function of glibc that Node has no API for (malloc_trim, mallopt, linkat of an unnamed file,
 * the ioprio_set syscall), called through koffi: prebuilt for each platform, no compile step, and
 * loaded on the first call only, so a process that never needs it never pays for it. Null where
 * it cannot be had (not Linux, no glibc, no koffi): every caller has a plain Node fallback or does
 * without.
 */
export function libcFunction(signature) {
    if (libc === undefined)
        libc = loadLibc();
    if (libc === null)
        return null;
    try {
        return libc.func(signature);
    }
    catch {
        return null;
    }
}
/** The errno the last libc call left on this thread, by name ("EEXIST"), as Node's errors give it. */
export function lastErrnoCode() {
    const errno = koffi().errno();
    return Object.entries(constants.errno).find(([, value]) => value === errno)?.[0] ?? `errno ${errno}`;
}
function loadLibc() {
    if (process.platform !== 'linux')
        return null;
    try {
        return koffi().load('libc.so.6');
    }
    catch {
        return null;
    }
}
function koffi() {
    return createRequire(import.meta.url)('koffi');
}
//# sourceMappingURL=libc.js.map