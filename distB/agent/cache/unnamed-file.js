import { closeSync, constants, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { lastErrnoCode, libcFunction } from '../../protocol/runtime/libc.js';
/** Linux's O_TMPFILE (__O_TMPFILE | O_DIRECTORY) on x86_64 and arm64 alike; node does not export it. */
const O_TMPFILE = process.arch === 'x64' ? 0o20200000 : 0o20040000;
const AT_FDCWD = -100;
const AT_SYMLINK_FOLLOW = 0x400;
let linkat;
/** libc's linkat, or null where it cannot be had (O_TMPFILE's value is known for x64 and arm64 only). */
function linkatCall() {
    if (linkat === undefined) {
        const known = process.arch === 'x64' || process.arch === 'arm64';
        linkat = known ? libcFunction('int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags)') : null;
    }
    return linkat;
}
/**
 * Files without a name until they are whole (Linux `O_TMPFILE` and `linkat`): an object's bytes
 * are written and fdatasynced in a file no directory lists, which then gets its final name in one
 * call. Against a temp file renamed into place this saves a directory entry made and removed per
 * object (and a cross-directory rename, which takes the filesystem's rename lock), and a crash
 * leaves nothing to clean: an unnamed file goes with its last descriptor. Where the kernel, the
 * filesystem, /proc or libc do not allow it, `open` returns undefined and the caller names a temp
 * file as before.
 */
export class UnnamedFiles {
    /** Per directory: whether an unnamed file made there could be named (tried once). */
    supported = new Map();
    /** An unnamed file in `dir` (same filesystem as its final name) opened for writing, or undefined. */
    open(dir, mode) {
        if (!this.works(dir))
            return undefined;
        try {
            return openSync(dir, O_TMPFILE | constants.O_WRONLY, mode);
        }
        catch {
            this.supported.set(dir, false);
            return undefined;
        }
    }
    /**
     * Whether unnamed files work in `dir`, found by making and naming one: O_TMPFILE may be
     * refused (EOPNOTSUPP, EISDIR before Linux 3.11, EINVAL) and the name needs /proc, so a node
     * where either fails writes temp files, rather than failing every write.
     */
    works(dir) {
        const known = this.supported.get(dir);
        if (known !== undefined)
            return known;
        let works = false;
        if (linkatCall()) {
            const probe = join(dir, `.unnamed-probe-${process.pid}-${Math.random().toString(36).slice(2)}`);
            try {
                const fd = openSync(dir, O_TMPFILE | constants.O_WRONLY, 0o600);
                try {
                    this.link(fd, probe);
                    works = true;
                }
                finally {
                    closeSync(fd);
                }
            }
            catch {
                works = false;
            }
            rmSync(probe, { force: true });
        }
        this.supported.set(dir, works);
        return works;
    }
    /**
     * Gives the unnamed file `fd` the name `path` (its data already durable). Throws EEXIST when
     * the name is taken (the caller decides), and any other failure as an errno error.
     */
    link(fd, path) {
        if (linkatCall()(AT_FDCWD, `/proc/self/fd/${fd}`, AT_FDCWD, path, AT_SYMLINK_FOLLOW) === 0)
            return;
        const code = lastErrnoCode();
        throw Object.assign(new Error(`${code}: cannot name ${path}`), { code });
    }
}
//# sourceMappingURL=unnamed-file.js.map