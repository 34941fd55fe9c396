/**
 * Bytes of pack lists kept (40 a blob): the step of a 100 000-file cold node (4 MB) plus the
 * small steps of updating ones. The list in use is kept whatever its size.
 */
export const PACK_LIST_BYTES = 8 * 1024 * 1024;
/** A list nobody asked for in this long is dropped: a herd asks for its step within seconds. */
export const PACK_LIST_IDLE_MS = 60_000;
/**
 * Pack blob lists by etag (a function of the step's two digests). A herd of cold nodes asks for
 * the same step again and again, and walking a 100 000-entry manifest per request costs more CPU
 * than sending the pack's headers. Least recently used dropped first past `maxBytes`; every list
 * dropped once unused for `idleMs`, so an idle server does not keep the last herd's.
 */
export class PackListCache {
    maxBytes;
    idleMs;
    /** Insertion order is recency order: the first key is the least recently used. */
    lists = new Map();
    bytes = 0;
    sweeper;
    constructor(maxBytes = PACK_LIST_BYTES, idleMs = PACK_LIST_IDLE_MS) {
        this.maxBytes = maxBytes;
        this.idleMs = idleMs;
    }
    /** The list under `etag`, made with `make` when not held. */
    get(etag, make) {
        const held = this.lists.get(etag);
        const list = held?.list ?? make();
        if (held)
            this.lists.delete(etag);
        else
            this.bytes += list.bytes;
        this.lists.set(etag, { list, usedAt: performance.now() });
        for (const [oldest, { list: dropped }] of this.lists) {
            if (this.bytes <= this.maxBytes || oldest === etag)
                break;
            this.drop(oldest, dropped);
        }
        this.sweeper ??= setInterval(() => this.sweep(), this.idleMs).unref();
        return list;
    }
    /** Bytes of the lists held. */
    get heldBytes() {
        return this.bytes;
    }
    sweep() {
        const before = performance.now() - this.idleMs;
        for (const [etag, { list, usedAt }] of this.lists) {
            if (usedAt > before)
                break;
            this.drop(etag, list);
        }
        if (this.lists.size === 0) {
            clearInterval(this.sweeper);
            this.sweeper = undefined;
        }
    }
    drop(etag, list) {
        this.lists.delete(etag);
        this.bytes -= list.bytes;
    }
}
//# sourceMappingURL=pack-list-cache.js.map