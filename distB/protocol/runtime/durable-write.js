import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
/** Flushes a file's data, or a directory's entries (new names, renames, unlinks), to disk. */
export async function fsyncPath(path) {
    const handle = await open(path, 'r');
    try {
        await handle.sync();
    }
    finally {
        await handle.close();
    }
}
/** Flushes a directory's entries (new names, renames, unlinks) to disk. */
export async function fsyncDir(dir) {
    await fsyncPath(dir);
}
/**
 * A name next to `path` that no other writer picks, for write-temp-then-rename. Its length does
 * not depend on the name it stands for (26 bytes): a name of NAME_MAX bytes, which a release may
 * hold, still gets a temp name the filesystem accepts.
 */
export function tempSibling(path) {
    return join(dirname(path), `.codesync-tmp-${randomBytes(6).toString('hex')}`);
}
/** Renames a complete, fsynced temp file into place and makes the rename durable. */
async function renameDurably(temp, target) {
    await rename(temp, target);
    await fsyncDir(dirname(target));
}
/**
 * Writes a file so that a reader, or a restart after kill -9, sees the old content or the whole
 * new one, never a part: temp file, fsync, rename, fsync of the directory. `temp` must be on the
 * same filesystem as `path` (default: a sibling); it is removed when the write fails.
 */
export async function writeFileAtomic(path, data, options = {}) {
    await writeFileAtomicWith(path, (handle) => handle.writeFile(data), options);
}
/** `writeFileAtomic` of whatever `write` writes to the temp file's handle. */
export async function writeFileAtomicWith(path, write, options = {}) {
    const temp = options.temp ?? tempSibling(path);
    try {
        const handle = await open(temp, 'w', 0o644);
        try {
            await write(handle);
            await handle.sync();
        }
        finally {
            await handle.close();
        }
        await renameDurably(temp, path);
    }
    catch (err) {
        await rm(temp, { force: true });
        throw err;
    }
}
/** True for "no such file or directory". */
export function isMissing(err) {
    return err?.code === 'ENOENT';
}
//# sourceMappingURL=durable-write.js.map