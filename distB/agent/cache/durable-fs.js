import { closeSync, fdatasync, fsync, open, openSync, rename, write } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { CodesyncError, isCodesyncError } from '../../protocol/errors.js';
import { isMissing, tempSibling } from '../../protocol/runtime/durable-write.js';
import { mapLimit } from '../../protocol/runtime/map-limit.js';
const fsyncFd = promisify(fsync);
const fdatasyncFd = promisify(fdatasync);
const openFd = promisify(open);
const writeFd = promisify(write);
const renamePath = promisify(rename);
/**
 * Flushes a directory's entries (or a file's data) to disk: one thread-pool trip, the fsync. The
 * open and the close are made on the calling thread: they touch no disk (the paths are ones this
 * process just wrote under, their names cached), and as trips of their own they tripled the
 * event loop's work per directory — a cold build flushes one per directory of the tree (~650 at
 * 2 000 files), a one-file sync four or five.
 */
export async function flushPath(path) {
    const fd = openSync(path, 'r');
    try {
        await fsyncFd(fd);
    }
    finally {
        closeSync(fd);
    }
}
/**
 * Writes a small file so that a reader, or a restart after kill -9, sees the old content or the
 * whole new one (protocol's writeFileAtomic: temp file, data synced, rename, directory flushed),
 * in five thread-pool trips: open, write, fdatasync, rename and the directory's fsync, the close
 * and the directory's open made on the calling thread, no FileHandle. Its directory is made when
 * missing. What a one-file sync writes before its switch (the manifest delta) took ten trips and
 * a recursive mkdir.
 */
export async function writeFileDurably(path, data) {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const temp = tempSibling(path);
    try {
        const fd = await openFd(temp, 'w', 0o644).catch(async (err) => {
            if (!isMissing(err))
                throw err;
            await mkdir(dirname(path), { recursive: true });
            return openFd(temp, 'w', 0o644);
        });
        try {
            for (let written = 0; written < bytes.length;) {
                const { bytesWritten } = await writeFd(fd, bytes, written, bytes.length - written);
                if (bytesWritten === 0)
                    throw Object.assign(new Error(`short write to ${temp}`), { code: 'ENOSPC' });
                written += bytesWritten;
            }
            await fdatasyncFd(fd);
        }
        finally {
            closeSync(fd);
        }
        await renamePath(temp, path);
    }
    catch (err) {
        await rm(temp, { force: true });
        throw err;
    }
    await flushPath(dirname(path));
}
/**
 * Turns the filesystem errors an operator must act on into stable codes: a full disk and an
 * unwritable root. Anything else passes through unchanged.
 */
export function classifyFsError(err, where) {
    if (isCodesyncError(err))
        return err;
    const code = err?.code;
    if (code === 'ENOSPC' || code === 'EDQUOT')
        return new CodesyncError('DISK_FULL', `no space left on the device holding ${where}`, { cause: err });
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
        return new CodesyncError('ROOT_NOT_WRITABLE', `cannot write under ${where}: ${err.message}`, { cause: err });
    }
    return err;
}
/**
 * Makes every path durable (written data, new names, renames): one fsync each, `concurrency` at
 * a time in the thread pool. Bounded by what the caller wrote; never `syncfs(2)` (`sync -f`),
 * which waits for every dirty page of the filesystem — unbounded on a node pulling images.
 */
export async function flushPaths(paths, concurrency = 64) {
    await mapLimit(paths, concurrency, flushPath);
}
/**
 * Flushes paths as they are handed in, `concurrency` at a time in the thread pool, so the fsyncs
 * of a tree's finished directories overlap the making of the rest. `drain` waits for every path
 * added and throws the first failure; after a failure later paths are not flushed.
 */
export class PathFlusher {
    concurrency;
    queue = [];
    next = 0;
    running = 0;
    failure;
    idleWaiters = [];
    constructor(concurrency = 64) {
        this.concurrency = concurrency;
    }
    add(path) {
        this.queue.push(path);
        this.pump();
    }
    /** Resolves once every path added so far is flushed; throws the first failure. */
    async drain() {
        await this.settled();
        if (this.failure)
            throw this.failure.err;
    }
    /** Resolves once nothing is in flight or queued, failed or not. */
    settled() {
        if (this.running === 0 && (this.failure || this.next === this.queue.length))
            return Promise.resolve();
        return new Promise((resolve) => this.idleWaiters.push(resolve));
    }
    pump() {
        while (!this.failure && this.running < this.concurrency && this.next < this.queue.length) {
            const path = this.queue[this.next++];
            this.running++;
            flushPath(path).then(() => this.done(), (err) => {
                this.failure ??= { err };
                this.done();
            });
        }
    }
    done() {
        this.running--;
        this.pump();
        if (this.running > 0 || (!this.failure && this.next < this.queue.length))
            return;
        // Flushed paths are not held: a cold build adds one per directory of the tree.
        this.queue.length = 0;
        this.next = 0;
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const wake of waiters)
            wake();
    }
}
//# sourceMappingURL=durable-fs.js.map