import { removeTemp } from './durable-fs.js';
import { HashedBytes } from './hashed-bytes.js';
/**
 * Bodies up to this size are read into memory and written in the background, so the next tar
 * entry is read while they are written; bigger ones stream to their file before the next is read.
 * With the write worker's bound on blobs not yet durable, at most that many times this is held at once.
 */
export const BUFFER_BYTES = 256 * 1024;
/** Blobs `commit` places at once: bounds the lists made for the write worker and what it answers. */
const PLACE_CHUNK = 4096;
/**
 * Many blobs stored all or nothing (a tar publish, `POST /v1/blobs`, an import). A small blob is
 * hashed here and handed to the store's write worker, which writes it to an unnamed file and
 * fdatasyncs it while the next arrive; a big one streams to a temp file, its fdatasync begun as
 * soon as its bytes are written. The worker bounds the small blobs not yet durable, and all
 * uploads of the server share one bound on streamed ones (`BlobStore.ingestSlots`), so a huge tar
 * never holds unbounded work. `commit` waits for those syncs, then the worker links the blobs
 * under their names and fsyncs each directory touched once (shared with concurrent commits).
 * Until `commit` nothing is visible, so `abort` leaves the store as it was.
 *
 * A staged blob is kept as its reference (a worker's number or a temp name), sha256, size and time
 * in arrays, no promise or object each once it is durable: a cold publish of 100 000 files holds
 * 100 000 of them until `commit`.
 */
export class BlobBatch {
    blobs;
    /** Per blob: the worker's reference or the temp name; undefined once placed or let go. */
    refs = [];
    sha256s = [];
    sizes = [];
    stagedAts = [];
    /** Streamed blobs not yet durable. */
    inFlight = new Set();
    /** Small blobs handed to the write worker and not yet durable (a callback each, no promise). */
    writing = 0;
    writesDone = [];
    /** The first failure of a background write, thrown by the next `add` and by `commit`. */
    failure;
    constructor(blobs) {
        this.blobs = blobs;
    }
    /**
     * Stages one blob; `body` is consumed before this resolves. Returns its sha256 and size (checked
     * against `expected` already); its write (or a streamed blob's fdatasync) may still be under
     * way until `commit`.
     */
    async add(body, expected) {
        if (this.failure)
            throw this.failure.err;
        if (expected?.size !== undefined && expected.size <= BUFFER_BYTES)
            return this.addBytes(await collect(body, expected.size), expected);
        await this.blobs.ingestSlots.acquire();
        let staged;
        try {
            staged = await this.blobs.stage(body, expected);
        }
        catch (err) {
            this.blobs.ingestSlots.release();
            throw err;
        }
        const index = this.push(staged.sha256, staged.size);
        this.refs[index] = staged.temp;
        // The next entry is read while this one's fdatasync runs (a tar of big blobs waited for each
        // in turn); its slot is held until then, so the syncs in flight stay bounded.
        this.track(staged.durable.then(() => this.blobs.ingestSlots.release(), async (err) => {
            this.blobs.ingestSlots.release();
            this.refs[index] = undefined;
            await removeTemp(staged.temp);
            throw err;
        }));
        return { sha256: staged.sha256, size: staged.size };
    }
    /**
     * `add` of a body already in memory (up to BUFFER_BYTES: a tar entry read whole), hashed here
     * and written in the background. `data` must not change before the event loop turns (it is
     * copied for the write worker then).
     */
    async addBytes(data, expected) {
        if (this.failure)
            throw this.failure.err;
        const bytes = new HashedBytes(data);
        bytes.check(expected);
        const room = this.blobs.writeRoom();
        if (room)
            await room;
        return this.stage(bytes);
    }
    /**
     * `addBytes` that returns nothing when the write worker had room (the usual case: no promise
     * made), or a promise to wait for when it had not. Throws at once when the bytes are wrong.
     */
    addBytesNow(data, expected) {
        if (this.failure)
            throw this.failure.err;
        const bytes = new HashedBytes(data);
        bytes.check(expected);
        const room = this.blobs.writeRoom();
        if (room) {
            return room.then(() => {
                if (this.failure)
                    throw this.failure.err;
                this.stage(bytes);
            });
        }
        this.stage(bytes);
        return undefined;
    }
    /** Hands checked bytes to the write worker; the batch hears of their end by callback. */
    stage(bytes) {
        const data = bytes.bytes;
        const index = this.push(bytes.sha256, data.length);
        this.writing++;
        this.refs[index] = this.blobs.stageBytesThen(bytes, (err) => {
            // A failed write holds nothing any more: its reference goes.
            if (err) {
                this.refs[index] = undefined;
                this.failure ??= { err };
            }
            if (--this.writing === 0) {
                const done = this.writesDone;
                this.writesDone = [];
                for (const wake of done)
                    wake();
            }
        });
        return { sha256: bytes.sha256, size: data.length };
    }
    async commit() {
        try {
            await this.settle();
            if (this.failure)
                throw this.failure.err;
            const count = this.refs.length;
            const stored = new Array(count);
            // One blob may come twice in a batch: placed once, the copies let go.
            const first = new Map();
            for (let from = 0; from < count; from += PLACE_CHUNK) {
                const chunk = [];
                const chunkIndexes = [];
                const copies = [];
                for (let i = from; i < Math.min(from + PLACE_CHUNK, count); i++) {
                    if (first.has(this.sha256s[i]))
                        copies.push(i);
                    else {
                        first.set(this.sha256s[i], i);
                        chunk.push({ ref: this.refs[i], sha256: this.sha256s[i], size: this.sizes[i], stagedAt: this.stagedAts[i] });
                        chunkIndexes.push(i);
                    }
                }
                await this.letGo(copies);
                for (const i of copies)
                    stored[i] = { sha256: this.sha256s[i], size: this.sizes[i], created: false };
                // The worker lets every one of them go, placed or not.
                for (const i of chunkIndexes)
                    this.refs[i] = undefined;
                const placed = await this.blobs.placeAll(chunk);
                placed.forEach((blob, k) => (stored[chunkIndexes[k]] = blob));
            }
            this.reset();
            return stored;
        }
        catch (err) {
            await this.abort();
            throw err;
        }
    }
    async abort() {
        await this.settle();
        const all = this.refs.map((_, i) => i);
        try {
            await this.letGo(all);
        }
        finally {
            this.reset();
        }
    }
    push(sha256, size) {
        this.refs.push(undefined);
        this.sha256s.push(sha256);
        this.sizes.push(size);
        this.stagedAts.push(Date.now());
        return this.refs.length - 1;
    }
    track(durable) {
        const settled = durable.then(() => { }, (err) => void (this.failure ??= { err }));
        this.inFlight.add(settled);
        void settled.finally(() => this.inFlight.delete(settled));
    }
    /** Lets the staged files of blobs `indexes` go: the worker's dropped, temp files removed. */
    async letGo(indexes) {
        const held = [];
        const temps = [];
        for (const i of indexes) {
            const ref = this.refs[i];
            if (typeof ref === 'number')
                held.push(ref);
            else if (ref !== undefined)
                temps.push(ref);
            this.refs[i] = undefined;
        }
        await Promise.all([this.blobs.dropStaged(held), ...temps.map((temp) => removeTemp(temp))]);
    }
    /** Waits until no write of the batch is under way. */
    async settle() {
        while (this.inFlight.size > 0 || this.writing > 0) {
            await Promise.all([...this.inFlight, this.writing > 0 ? new Promise((wake) => this.writesDone.push(wake)) : undefined]);
        }
    }
    reset() {
        this.refs = [];
        this.sha256s = [];
        this.sizes = [];
        this.stagedAts = [];
    }
}
/**
 * Reads a body of `size` bytes into one buffer. Of a longer body only the chunks that begin
 * within `size` are kept: enough for the size check to refuse it, never unbounded memory.
 */
async function collect(body, size) {
    const chunks = [];
    let length = 0;
    for await (const chunk of body) {
        if (length <= size)
            chunks.push(chunk);
        length += chunk.length;
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}
//# sourceMappingURL=blob-batch.js.map