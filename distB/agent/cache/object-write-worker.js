import { Worker } from 'node:worker_threads';
/** A batch is sent at this many objects or bytes, or once the event loop turns (the stream paused). */
const BATCH_OBJECTS = 128;
const BATCH_BYTES = 1024 * 1024;
/** A thread started ahead (`warm`) that no write reached in this long is ended again. */
const WARM_IDLE_MS = 30_000;
/**
 * Writes many small objects on one worker thread (object-write-thread.ts) in batches: a cold sync
 * of 10 000 objects costs the event loop about a hundred messages and no promise per object, not
 * 50 000 thread-pool round trips, which on a loaded node took 80-240 µs of the main thread each.
 * `onSettled` hears of each batch once every object of it holds its final name (data durable) or
 * failed (its temp file removed). The thread starts on the first write and ends with `close`, so
 * an idle agent holds none. (A second thread made a cold sync slower: creating files in one
 * directory takes its lock.)
 */
export class ObjectWriteWorker {
    /** Where the thread creates temp files (the cache's tmp/, emptied at start). */
    tmpDir;
    onSettled;
    worker;
    open;
    sent = new Map();
    nextId = 0;
    idleWaiters = [];
    constructor(tmpDir, onSettled) {
        this.tmpDir = tmpDir;
        this.onSettled = onSettled;
    }
    /**
     * Queues `data` to become the object at `path` once the thread found it hashes to `sha256`
     * (a failure with code CHECKSUM_MISMATCH if not, nothing written): temp file, fdatasync, rename.
     * `move`: `data` is a whole buffer of its own (byteOffset 0, its ArrayBuffer's full length),
     * moved to the thread, not copied — a large blob's bytes cross once, not twice. `file`: a
     * file of a tree being built to hold the object too (object-write-thread.ts, `files`), or ''.
     */
    write(sha256, data, path, mode, chmod, move = false, file = '') {
        let batch = this.open;
        if (!batch) {
            const opened = { sha256s: [], paths: [], files: [], modes: [], chmods: [], lengths: [], moved: [], chunks: [], bytes: 0, copied: 0 };
            this.open = batch = opened;
            // A batch still filling when the reader waits for the network goes out then.
            setImmediate(() => this.send(opened));
        }
        batch.sha256s.push(sha256);
        batch.paths.push(path);
        batch.files.push(file);
        batch.modes.push(mode);
        batch.chmods.push(chmod);
        batch.lengths.push(data.length);
        const moved = move && data.byteOffset === 0 && data.buffer.byteLength === data.length && data.buffer instanceof ArrayBuffer;
        batch.moved.push(moved);
        batch.chunks.push(data);
        batch.bytes += data.length;
        if (!moved)
            batch.copied += data.length;
        if (batch.paths.length >= BATCH_OBJECTS || batch.bytes >= BATCH_BYTES)
            this.send(batch);
    }
    /**
     * Starts the thread ahead of the first write, for a sync about to fetch a whole tree: its start
     * (a V8 isolate and its modules, ~100 ms of CPU) then overlaps the manifest and the pull slot's
     * wait instead of holding up the first batch while the reader fills its bounded queue. Ended
     * again, like any idle thread, if no write comes within `idleMs`.
     */
    warm(idleMs = WARM_IDLE_MS) {
        if (this.worker)
            return;
        const worker = this.thread();
        worker.unref();
        const timer = setTimeout(() => {
            if (this.worker === worker)
                void this.close();
        }, idleMs);
        timer.unref();
    }
    /** Resolves once every write queued so far has settled. */
    idle() {
        if (!this.open && this.sent.size === 0)
            return Promise.resolve();
        return new Promise((resolve) => this.idleWaiters.push(resolve));
    }
    /** Ends the thread once nothing is queued or in flight; the next write starts another. */
    async close() {
        if (this.open || this.sent.size > 0 || !this.worker)
            return;
        const worker = this.worker;
        this.worker = undefined;
        await worker.terminate();
    }
    send(batch) {
        if (this.open !== batch)
            return;
        this.open = undefined;
        // One buffer of its own per batch, moved (not copied) to the thread; the objects' bytes are
        // views of the response's chunks, which a transfer would copy whole.
        // Uninitialised memory (every byte is copied over below): `new ArrayBuffer` zero-fills each
        // batch first, a second pass over every byte of a cold sync.
        const view = Buffer.allocUnsafeSlow(batch.copied);
        const data = view.buffer;
        const own = [];
        let at = 0;
        batch.chunks.forEach((chunk, i) => {
            if (batch.moved[i])
                own.push(chunk.buffer);
            else
                at += chunk.copy(view, at);
        });
        batch.chunks = [];
        const id = this.nextId++;
        this.sent.set(id, batch);
        const worker = this.thread();
        worker.ref();
        const message = { id, sha256s: batch.sha256s.join(''), paths: batch.paths, files: batch.files, modes: batch.modes, chmods: batch.chmods, lengths: batch.lengths, moved: batch.moved, data, own };
        worker.postMessage(message, [data, ...own]);
    }
    thread() {
        if (this.worker)
            return this.worker;
        const worker = new Worker(new URL('./object-write-thread.js', import.meta.url), { workerData: this.tmpDir });
        worker.on('message', (reply) => this.settle(reply.id, reply.failures, reply.newDirs));
        const fail = (err) => {
            if (this.worker !== worker)
                return;
            this.worker = undefined;
            const failure = { code: err?.code, message: err?.message ?? String(err) };
            for (const [id, batch] of [...this.sent])
                this.settle(id, batch.paths.map(() => failure), []);
        };
        worker.on('error', fail);
        worker.on('exit', (code) => fail(new Error(`the object write worker exited with code ${code}`)));
        this.worker = worker;
        return worker;
    }
    settle(id, failures, newDirs) {
        const batch = this.sent.get(id);
        if (!batch)
            return;
        this.sent.delete(id);
        // An idle thread does not keep the process alive.
        if (this.sent.size === 0)
            this.worker?.unref();
        this.onSettled({ sha256s: batch.sha256s, paths: batch.paths, files: batch.files, bytes: batch.bytes, failures, newDirs });
        if (!this.open && this.sent.size === 0) {
            const waiters = this.idleWaiters;
            this.idleWaiters = [];
            for (const wake of waiters)
                wake();
        }
    }
}
//# sourceMappingURL=object-write-worker.js.map