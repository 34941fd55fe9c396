import { Worker } from 'node:worker_threads';
import { blobEntryBytes } from '../../protocol/blob-tar-header.js';
import { sendSlabs } from './send-slabs.js';
/** A worker ends after this long without work: an idle server does not keep its heap. */
const IDLE_MS = 5_000;
/**
 * Reads runs of small blobs as ready-made tar entries on a worker thread (blob-read-worker.ts).
 * Read through the thread pool, a small blob costs the event loop three trips (open, read, close),
 * each a submission, a wake-up and a callback, ~25 µs apiece on a busy 2-core server: more than
 * its bytes. Here a run of blobs costs one message each way, its buffer transferred, not copied.
 * One thread: reading cached blobs is mostly CPU, and the event loop needs the other core of a small server.
 * The worker starts on first use and ends when idle.
 */
export class BlobReader {
    root;
    worker;
    pending = new Map();
    nextId = 0;
    idleTimer;
    /** `root`: the store's `blobs/sha256` directory. */
    constructor(root) {
        this.root = root;
    }
    /**
     * The tar entries of `blobs` (header, bytes, padding each), named by their sha256; fails with
     * the first blob that is missing, unreadable, or not of its listed size.
     */
    read(blobs) {
        clearTimeout(this.idleTimer);
        const id = this.nextId++;
        const worker = (this.worker ??= this.started());
        worker.ref();
        const entries = new Promise((resolve, reject) => this.pending.set(id, { resolve, reject, worker }));
        let total = 0;
        for (const { size } of blobs)
            total += blobEntryBytes(size);
        // One byte more than the entries: the last blob's read may spill into it (blob-read-worker.ts).
        // A slab the response hands back once sent (send-slabs.ts), when the run fits one.
        const buffer = sendSlabs.take(total + 1);
        const request = { id, sha256s: blobs.map(({ sha256 }) => sha256).join(''), sizes: Float64Array.from(blobs, ({ size }) => size), buffer };
        worker.postMessage(request, [buffer]);
        return entries;
    }
    /** Ends the worker now (server close); reads still pending fail. */
    async close() {
        clearTimeout(this.idleTimer);
        const worker = this.worker;
        this.worker = undefined;
        await worker?.terminate();
    }
    started() {
        const workerData = { root: this.root };
        const worker = new Worker(new URL('./blob-read-worker.js', import.meta.url), { workerData });
        worker.on('message', (reply) => this.settle(worker, reply));
        // A worker that dies (out of memory, terminated) fails what it held; the next read starts another.
        const fail = (err) => {
            if (this.worker === worker)
                this.worker = undefined;
            for (const [id, waiter] of this.pending) {
                if (waiter.worker !== worker)
                    continue;
                this.pending.delete(id);
                waiter.reject(err);
            }
        };
        worker.on('error', fail);
        worker.on('exit', (code) => fail(new Error(`a blob read worker exited (code ${code})`)));
        return worker;
    }
    settle(worker, reply) {
        const waiter = this.pending.get(reply.id);
        if (waiter) {
            this.pending.delete(reply.id);
            if (reply.error)
                waiter.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code, errno: reply.error.errno, syscall: reply.error.syscall }));
            else
                waiter.resolve(Buffer.from(reply.buffer, 0, reply.length));
        }
        if (this.pending.size === 0) {
            // Unreferenced when idle, so it never keeps the process up.
            worker.unref();
            this.idleTimer = setTimeout(() => void this.close(), IDLE_MS);
            this.idleTimer.unref();
        }
    }
}
//# sourceMappingURL=blob-reader.js.map