import { open } from 'node:fs/promises';
import { blobEntryBytes, blobEntryHeader, END_OF_TAR, padding } from '../../protocol/blob-tar-header.js';
import { sendSlabs } from '../store/send-slabs.js';
import { FileTooLongError, fileSlabs } from './file-slabs.js';
/** Blobs up to this size are read whole, in runs, rather than streamed. */
const WHOLE_READ_BYTES = 256 * 1024;
/**
 * Consecutive small blobs are read as one run of about this many bytes: one round trip to the read
 * worker, one slab (send-slabs.ts), one chunk through the response (byte count, bandwidth gate,
 * socket write).
 */
const RUN_BYTES = 256 * 1024;
/** Blobs in one run at most, so a run of tiny blobs still comes back soon. */
const RUN_BLOBS = 512;
/**
 * Bytes of runs read ahead of the one being sent: the socket never waits for a read, and a pack
 * holds at most this much memory whatever its blob count.
 */
const READ_AHEAD_BYTES = 4 * 1024 * 1024;
/**
 * The chunks of a tar of blobs, entries named by sha256 in the given order, with fixed headers
 * (mtime 0, uid/gid 0, mode 0644: protocol/blob-tar-header.ts). Small blobs are read ahead in runs by
 * the store's read worker, which sends back their entries ready-made (bounded by bytes); large ones
 * are read a slab at a time. Chunks that are slabs are lent (send-slabs.ts): the response hands
 * them back once written. A read error (a missing blob, one longer or shorter than listed) throws.
 */
export async function* blobTarChunks(blobs, list) {
    const ahead = new RunReadAhead(blobs, list, segmentsOf(list));
    for (let segment = ahead.take(); segment; segment = ahead.take()) {
        if (!segment.large) {
            yield sendSlabs.lend(await segment.entries);
            continue;
        }
        const sha256 = list.sha256(segment.from);
        const size = list.size(segment.from);
        yield blobEntryHeader(sha256, size);
        yield* largeBlob(blobs.path(sha256), sha256, size);
        const pad = padding(size);
        if (pad.length > 0)
            yield pad;
    }
    yield END_OF_TAR;
}
/** A large blob's bytes in slabs; one longer or shorter than listed would shift every header after it. */
async function* largeBlob(path, sha256, size) {
    const handle = await open(path, 'r');
    try {
        let sent = 0;
        try {
            for await (const chunk of fileSlabs(handle, size)) {
                sent += chunk.length;
                yield chunk;
            }
        }
        catch (err) {
            if (err instanceof FileTooLongError)
                throw new Error(`blob ${sha256} holds more bytes than its manifest says (${size})`);
            throw err;
        }
        if (sent !== size)
            throw new Error(`blob ${sha256} holds ${sent} bytes, its manifest says ${size}`);
    }
    finally {
        await handle.close();
    }
}
function segmentsOf(list) {
    const segments = [];
    let run;
    for (let index = 0; index < list.length; index++) {
        const size = list.size(index);
        if (size > WHOLE_READ_BYTES) {
            run = undefined;
            segments.push({ from: index, to: index + 1, bytes: size, large: true });
            continue;
        }
        // A run counts its entries' bytes, headers and padding too: a tiny blob takes 1 KiB of them.
        const entry = blobEntryBytes(size);
        if (!run || run.bytes + entry > RUN_BYTES || run.to - run.from >= RUN_BLOBS) {
            run = { from: index, to: index, bytes: 0, large: false };
            segments.push(run);
        }
        run.to = index + 1;
        run.bytes += entry;
    }
    return segments;
}
/**
 * Reads the runs of small blobs ahead of the sender, at most READ_AHEAD_BYTES of them; large
 * blobs are left to the sender.
 */
class RunReadAhead {
    blobs;
    list;
    segments;
    reads = new Map();
    taken = 0;
    next = 0;
    bytes = 0;
    constructor(blobs, list, segments) {
        this.blobs = blobs;
        this.list = list;
        this.segments = segments;
    }
    /** The next segment, with its entries under way when it is a run; undefined at the end. */
    take() {
        const index = this.taken++;
        const segment = this.segments[index];
        if (!segment)
            return undefined;
        this.fill(index);
        const entries = this.reads.get(index);
        this.reads.delete(index);
        if (entries)
            this.bytes -= segment.bytes;
        this.fill(index + 1);
        return entries ? { ...segment, entries } : segment;
    }
    fill(from) {
        this.next = Math.max(this.next, from);
        while (this.next < this.segments.length) {
            const segment = this.segments[this.next];
            if (!segment.large) {
                if (this.reads.size > 0 && this.bytes + segment.bytes > READ_AHEAD_BYTES)
                    return;
                const run = [];
                for (let index = segment.from; index < segment.to; index++)
                    run.push({ sha256: this.list.sha256(index), size: this.list.size(index) });
                const read = this.blobs.readEntries(run);
                // Taken (and its failure thrown) in order; a tar cut short never takes some of them.
                read.catch(() => { });
                this.reads.set(this.next, read);
                this.bytes += segment.bytes;
            }
            this.next++;
        }
    }
}
//# sourceMappingURL=blob-tar-body.js.map