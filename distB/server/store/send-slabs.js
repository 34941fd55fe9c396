/**
 * Bytes of one slab: a run of small blobs' tar entries (up to 256 KiB of them, or one entry of a
 * 256 KiB blob, 1 KiB of header and padding) plus the spare byte a read may spill into.
 */
export const SLAB_BYTES = 256 * 1024 + 2048;
/** Free slabs kept for the next response: enough for a pack's read-ahead, small when idle (4 MiB). */
const FREE_SLABS = 16;
/**
 * Reusable buffers for blob bytes on their way to a socket: a pack reads into a slab, the response
 * writes it and hands it back once the socket has written every byte of it. A buffer per chunk
 * instead is garbage the moment the socket took it, and V8 collects array buffers only once their
 * total passes ~64 MiB over what the last collection left: pulling both apps of
 * bench/server-memory left 60-70 MiB of dead chunks at a time, pages glibc then kept (server peak
 * RSS 196-202 MiB). A slab lost on the way (an aborted response, a failed read) is not handed back
 * and is collected like any buffer.
 */
export class SendSlabs {
    free = [];
    /** Weak: a slab whose response died is not held here. */
    loans = new WeakMap();
    /** A slab when `bytes` fit one (reused when one is free), else a buffer of its own. */
    take(bytes) {
        if (bytes > SLAB_BYTES)
            return new ArrayBuffer(bytes);
        return this.free.pop() ?? new ArrayBuffer(SLAB_BYTES);
    }
    /**
     * Marks `chunk` (a view of a slab from `take`, its bytes in use) as lent to a response: once
     * `written` has counted all of them, the slab is free again. Other buffers are left alone.
     */
    lend(chunk) {
        const slab = chunk.buffer;
        if (slab instanceof ArrayBuffer && slab.byteLength === SLAB_BYTES)
            this.loans.set(slab, { used: chunk.length, written: 0 });
        return chunk;
    }
    /**
     * The socket wrote `piece` (a lent chunk or part of one: a bandwidth cap sends it in pieces).
     * A slab is never handed back before its last byte was written, so no byte of a response is
     * overwritten while queued.
     */
    written(piece) {
        const slab = piece.buffer;
        const loan = this.loans.get(slab);
        if (!loan)
            return;
        loan.written += piece.length;
        if (loan.written < loan.used)
            return;
        this.loans.delete(slab);
        if (this.free.length < FREE_SLABS)
            this.free.push(slab);
    }
    /** Lets the free slabs go (an idle server: the next burst makes new ones). */
    release() {
        this.free.length = 0;
    }
    /** Slabs free for reuse (for tests). */
    get freeCount() {
        return this.free.length;
    }
}
/** The server's one pool: packs and blob fetches of every response share it. */
export const sendSlabs = new SendSlabs();
//# sourceMappingURL=send-slabs.js.map