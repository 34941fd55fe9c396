// The object write worker's thread (object-write-worker.ts starts it): writes a batch of
// verified objects — one message per batch instead of five thread-pool round trips per object on
// the agent's event loop.
import crypto, { createHash } from 'node:crypto';
import { closeSync, fchmodSync, fdatasync, linkSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { UnnamedFiles } from '../../protocol/runtime/unnamed-file.js';
/** Shard directories this thread made or found. */
const shards = new Set();
/** Temp names: unique to this thread (a random tag) and to the object (a counter). */
const tag = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
let made = 0;
/** sha256 of bytes in memory, hex: one call, no Hash object, where Node has `crypto.hash` (20.12+). */
const sha256Hex = typeof crypto.hash === 'function' ? (data) => crypto.hash('sha256', data, 'hex') : (data) => createHash('sha256').update(data).digest('hex');
/** Hex digits of a sha256. */
const SHA256_HEX = 64;
function failure(err) {
    return { code: err?.code, message: err?.message ?? String(err) };
}
function removeQuietly(path) {
    try {
        unlinkSync(path);
    }
    catch {
        // Gone already, or never made.
    }
}
/**
 * Gives the unnamed file `fd` its final name `path`. A name another writer gave the same object
 * meanwhile is replaced, as a rename would: the file is named in `tmpDir` first (emptied at
 * start), then renamed over it.
 */
function nameUnnamed(fd, path, tmpDir) {
    try {
        unnamed.link(fd, path);
    }
    catch (err) {
        if (err.code !== 'EEXIST')
            throw err;
        const temp = join(tmpDir, `${tag}-${made++}`);
        unnamed.link(fd, temp);
        try {
            renameSync(temp, path);
        }
        catch (renameErr) {
            removeQuietly(temp);
            throw renameErr;
        }
    }
}
/**
 * Gives the object written at `file` (a tree's, its data durable) its final name `path` as a
 * second link. A name another writer gave the same object meanwhile is replaced, as a rename
 * would: the file is linked in `tmpDir` first, then renamed over it.
 */
function nameTreeFile(file, path, tmpDir) {
    try {
        linkSync(file, path);
    }
    catch (err) {
        if (err.code !== 'EEXIST')
            throw err;
        const temp = join(tmpDir, `${tag}-${made++}`);
        linkSync(file, temp);
        try {
            renameSync(temp, path);
        }
        catch (renameErr) {
            removeQuietly(temp);
            throw renameErr;
        }
    }
}
/** Unnamed files in `tmpDir` where the system has them (unnamed-file.ts), else temp files. */
const unnamed = new UnnamedFiles();
/**
 * Writes every object of the batch in three passes: check each against its sha256, create and write it in `tmpDir`
 * (synchronous calls: metadata and page cache), then fdatasync each in the thread pool, all at
 * once — one at a time, each waited for a journal commit of its own on a busy disk — then give
 * each its final name. While a batch waits on its fdatasyncs the next one is written. A name only
 * ever holds a whole object: it is given after its file's fdatasync. The file is unnamed until
 * then where Linux allows (O_TMPFILE, then linkat: a file cut short, or one a crash interrupts,
 * goes with its descriptor), else a temp file renamed into place (one cut short is unlinked).
 * An object with a tree file (`files[i]`: a cold build's) is written at that file instead and
 * linked to its final name: one link per file fewer than naming an unnamed file and linking it
 * into the tree, and no /proc lookup. That name is in `.staging` (dropped by the next attempt
 * after a crash, switched to only once durable), and one cut short is unlinked.
 */
export async function writeBatch(batch, tmpDir) {
    const packed = Buffer.from(batch.data);
    const count = batch.paths.length;
    let ownAt = 0;
    const failures = new Array(count).fill(undefined);
    const fds = new Array(count).fill(undefined);
    /** Per object where the system has no unnamed files: the temp file it is written to (made only then). */
    const temps = new Array(count).fill(undefined);
    const newDirs = [];
    let offset = 0;
    for (let i = 0; i < count; i++) {
        const length = batch.lengths[i];
        const moved = batch.moved[i] === true;
        const data = moved ? Buffer.from(batch.own[ownAt++]) : packed;
        const start = moved ? 0 : offset;
        if (!moved)
            offset += length;
        // Verified here rather than on the event loop, which reads the stream: bytes that are not
        // their sha256's are never written, under any name.
        const actual = sha256Hex(data.subarray(start, start + length));
        if (!batch.sha256s.startsWith(actual, i * SHA256_HEX)) {
            const claimed = batch.sha256s.slice(i * SHA256_HEX, (i + 1) * SHA256_HEX);
            failures[i] = { code: 'CHECKSUM_MISMATCH', message: `blob ${claimed} (${length} bytes) arrived hashing to ${actual}: refused` };
            continue;
        }
        try {
            const file = batch.files[i];
            let fd = file ? undefined : unnamed.open(tmpDir, batch.modes[i]);
            if (fd === undefined) {
                const temp = file || join(tmpDir, `${tag}-${made++}`);
                temps[i] = temp;
                fd = openSync(temp, 'wx', batch.modes[i]);
            }
            fds[i] = fd;
            let written = 0;
            while (written < length) {
                const wrote = writeSync(fd, data, start + written, length - written);
                // A write that stores nothing without an error: never taken for a whole object.
                if (wrote === 0)
                    throw Object.assign(new Error(`short write to ${temps[i] ?? tmpDir}: ${written} of ${length} bytes stored`), { code: 'ENOSPC' });
                written += wrote;
            }
            if (batch.chmods[i])
                fchmodSync(fd, batch.modes[i]);
        }
        catch (err) {
            failures[i] = failure(err);
        }
    }
    await syncAll(fds, failures, temps);
    for (let i = 0; i < count; i++) {
        const temp = temps[i];
        if (failures[i]) {
            if (temp !== undefined)
                removeQuietly(temp);
            continue;
        }
        const path = batch.paths[i];
        const fd = fds[i];
        try {
            const dir = dirname(path);
            if (!shards.has(dir)) {
                const first = mkdirSync(dir, { recursive: true });
                // Every directory mkdir made is a new entry of its parent.
                if (first !== undefined)
                    for (let step = dir; step !== dirname(first); step = dirname(step))
                        newDirs.push(dirname(step));
                shards.add(dir);
            }
            if (temp === undefined)
                nameUnnamed(fd, path, tmpDir);
            else if (batch.files[i])
                nameTreeFile(temp, path, tmpDir);
            else
                renameSync(temp, path);
        }
        catch (err) {
            failures[i] = failure(err);
            if (temp !== undefined)
                removeQuietly(temp);
        }
        finally {
            if (temp === undefined)
                closeSync(fd);
        }
    }
    return { id: batch.id, failures, newDirs };
}
/**
 * fdatasyncs every open file of a batch in the thread pool, all at once — one at a time, each
 * waited for a journal commit of its own on a busy disk — with a callback each rather than a
 * promise and an async function each (a cold sync of 100 000 objects made 300 000 of those on
 * this thread). A temp file (no unnamed files here) is closed once synced, an unnamed one when
 * named; a failed one at once.
 */
function syncAll(fds, failures, temps) {
    return new Promise((resolve) => {
        let waiting = 1;
        const settled = () => {
            if (--waiting === 0)
                resolve();
        };
        for (let i = 0; i < fds.length; i++) {
            const fd = fds[i];
            if (fd === undefined)
                continue;
            if (failures[i]) {
                closeSync(fd);
                continue;
            }
            waiting++;
            fdatasync(fd, (err) => {
                if (err)
                    failures[i] = failure(err);
                if (failures[i] || temps[i] !== undefined)
                    closeSync(fd);
                settled();
            });
        }
        settled();
    });
}
// Probed as the thread starts (libc's linkat loaded, an unnamed file made and named once), not by
// the first batch: a thread started ahead of a cold sync's first blob (`warm`) does it while the
// manifest comes. The probe's file is closed at once: unnamed, it goes with its descriptor.
const probe = unnamed.open(workerData, 0o600);
if (probe !== undefined)
    closeSync(probe);
parentPort?.on('message', (batch) => void writeBatch(batch, workerData).then((reply) => parentPort.postMessage(reply)));
//# sourceMappingURL=object-write-thread.js.map