import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fsyncDir, isMissing, writeFileAtomic, writeFileAtomicWith } from '../../protocol/runtime/durable-write.js';
/** Buffers handed to one gathered write: below IOV_MAX (1024 on Linux). */
const WRITEV_PARTS = 512;
/** Bytes gathered before a write: what a record being made holds at once. */
const WRITEV_BYTES = 1024 * 1024;
/**
 * Crash-safe file writes for the store: bytes go to a temp file under `<data>/tmp`, are fsynced,
 * then renamed into place and the directory fsynced, so a reader (or a restart after kill -9)
 * sees the old file or the whole new one, never a part.
 */
export class DurableFs {
    dataDir;
    /** Directory for temp files; on the same volume as the store so rename is atomic. */
    tmpDir;
    constructor(dataDir) {
        this.dataDir = dataDir;
        this.tmpDir = join(dataDir, 'tmp');
    }
    /** Creates the temp dir and removes temp files a crashed run left behind. */
    async init() {
        await rm(this.tmpDir, { recursive: true, force: true });
        await mkdir(this.tmpDir, { recursive: true });
    }
    /** Makes temp names unique within this process; `init` empties the directory at each start. */
    tempPrefix = randomBytes(6).toString('hex');
    tempCount = 0;
    /** A fresh temp path; the caller renames it into place or removes it. */
    tempPath() {
        // A counter, not random bytes per name: a cold publish asks for one per blob.
        return join(this.tmpDir, `${this.tempPrefix}-${++this.tempCount}`);
    }
    /** Writes `data` to `target` atomically and durably, through a temp file under `tmpDir`. */
    async writeFile(target, data) {
        await mkdir(dirname(target), { recursive: true });
        await writeFileAtomic(target, data, { temp: this.tempPath() });
    }
    /**
     * `writeFile` of the bytes of `parts` one after another, taken as they are written (a generator
     * may make them meanwhile) and written with gathered writes: a file made of runs of other
     * buffers (a record sharing most of its entries with an older one) is never copied into one
     * buffer, nor held whole.
     */
    async writeParts(target, parts) {
        await mkdir(dirname(target), { recursive: true });
        await writeFileAtomicWith(target, (handle) => writeGathered(handle, parts), { temp: this.tempPath() });
    }
}
/** Writes `parts` in gathered writes of at most WRITEV_PARTS buffers or WRITEV_BYTES bytes. */
async function writeGathered(handle, parts) {
    let batch = [];
    let bytes = 0;
    for (const part of parts) {
        if (part.length === 0)
            continue;
        batch.push(part);
        bytes += part.length;
        if (batch.length < WRITEV_PARTS && bytes < WRITEV_BYTES)
            continue;
        await writeAll(handle, batch);
        batch = [];
        bytes = 0;
    }
    await writeAll(handle, batch);
}
/** Writes every byte of `parts` at the handle's position, resuming after a short write. */
async function writeAll(handle, parts) {
    let pending = parts;
    while (pending.length > 0) {
        let { bytesWritten } = await handle.writev(pending);
        let done = 0;
        while (done < pending.length && bytesWritten >= pending[done].length)
            bytesWritten -= pending[done++].length;
        pending = done < pending.length ? [pending[done].subarray(bytesWritten), ...pending.slice(done + 1)] : [];
    }
}
/**
 * Replaces `target` with `data` through a temp file and a rename, without an fsync: a reader sees
 * the old file or the whole new one, but a crash may lose the write (or, on some filesystems,
 * leave the file empty). For state a later write repairs and whose reader skips a bad file: each
 * fsync is a journal commit every other writer on the filesystem waits behind.
 */
export async function replaceFileUnsynced(fs, target, data) {
    const temp = fs.tempPath();
    try {
        await writeFile(temp, data);
        await mkdir(dirname(target), { recursive: true });
        await rename(temp, target);
    }
    catch (err) {
        await rm(temp, { force: true });
        throw err;
    }
}
/**
 * Makes directory `dir` appear holding file `name` with `data`, durably: built under `tmpDir`
 * and renamed into place, so no crash leaves `dir` without the file. An empty `dir` a crash of an
 * older version left is replaced (rename takes an empty directory's place).
 */
export async function createDirWith(fs, dir, name, data) {
    const staging = fs.tempPath();
    await mkdir(staging);
    try {
        await writeFileAtomic(join(staging, name), data, { temp: join(staging, `${name}.tmp`) });
        await mkdir(dirname(dir), { recursive: true });
        await rename(staging, dir);
    }
    catch (err) {
        await rm(staging, { recursive: true, force: true });
        throw err;
    }
    await fsyncDir(dirname(dir));
}
/** Entries of a directory, or none when it does not exist. */
export async function readdirOrEmpty(dir) {
    try {
        return await readdir(dir);
    }
    catch (err) {
        if (isMissing(err))
            return [];
        throw err;
    }
}
/** Removes a temp file that may be gone already: one unlink (`rm` would lstat first). */
export async function removeTemp(temp) {
    try {
        await unlink(temp);
    }
    catch (err) {
        if (!isMissing(err))
            throw err;
    }
}
//# sourceMappingURL=durable-fs.js.map