import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { blobEntryBytes, blobEntryHeader, END_OF_TAR, padding } from '../../protocol/blob-tar-header.js';
/** Blobs up to this size are read whole, in runs, rather than streamed. */
const WHOLE_READ_BYTES = 256 * 1024;
/**
 * Consecutive small blobs are read as one run of about this many bytes: one round trip to a read
 * worker, and one chunk through the response's streams (byte count, bandwidth gate, socket write).
 */
const RUN_BYTES = 256 * 1024;
/** Blobs in one run at most, so a run of tiny blobs still comes back soon. */
const RUN_BLOBS = 512;
/**
 * Bytes of runs read ahead of the one being sent: the socket never waits for a read, and a pack
 * holds at most this much memory whatever its blob count.
 */
const READ_AHEAD_BYTES = 4 * 1024 * 1024;
/** A large blob streams in reads of this size: one thread-pool trip and one chunk each. */
const STREAM_CHUNK_BYTES = 1024 * 1024;
/**
 * A tar of blobs, entries named by sha256 in the given order, with fixed headers (mtime 0,
 * uid/gid 0, mode 0644, no user or group names: protocol/blob-tar-header.ts). Small blobs are read ahead in
 * runs by the store's read workers, which send back their entries ready-made (bounded by bytes);
 * large ones stream. A read error aborts the tar.
 */
export function blobTar(blobs, list) {
    return Readable.from(tarChunks(blobs, list), { objectMode: false });
}
async function* tarChunks(blobs, list) {
    const ahead = new RunReadAhead(blobs, list, segmentsOf(list));
    for (let segment = ahead.take(); segment; segment = ahead.take()) {
        if (!segment.large) {
            yield await segment.entries;
            continue;
        }
        const { sha256, size } = list[segment.from];
        yield blobEntryHeader(sha256, size);
        let sent = 0;
        for await (const chunk of createReadStream(blobs.path(sha256), { highWaterMark: STREAM_CHUNK_BYTES })) {
            sent += chunk.length;
            // A longer or shorter blob than listed (a damaged store) would shift every header after it.
            if (sent > size)
                throw new Error(`blob ${sha256} holds more bytes than its manifest says (${size})`);
            yield chunk;
        }
        if (sent !== size)
            throw new Error(`blob ${sha256} holds ${sent} bytes, its manifest says ${size}`);
        const pad = padding(size);
        if (pad.length > 0)
            yield pad;
    }
    yield END_OF_TAR;
}
function segmentsOf(list) {
    const segments = [];
    let run;
    list.forEach(({ size }, index) => {
        if (size > WHOLE_READ_BYTES) {
            run = undefined;
            segments.push({ from: index, to: index + 1, bytes: size, large: true });
            return;
        }
        // A run counts its entries' bytes, headers and padding too: a tiny blob takes 1 KiB of them.
        const entry = blobEntryBytes(size);
        if (!run || run.bytes + entry > RUN_BYTES || run.to - run.from >= RUN_BLOBS) {
            run = { from: index, to: index, bytes: 0, large: false };
            segments.push(run);
        }
        run.to = index + 1;
        run.bytes += entry;
    });
    return segments;
}
/**
 * Reads the runs of small blobs ahead of the sender, at most READ_AHEAD_BYTES of them; large
 * blobs are left to the sender's stream.
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
                const blobs = this.list.slice(segment.from, segment.to);
                const read = this.blobs.readEntries(blobs);
                // Taken (and its failure thrown) in order; a tar cut short never takes some of them.
                read.catch(() => { });
                this.reads.set(this.next, read);
                this.bytes += segment.bytes;
            }
            this.next++;
        }
    }
}
//# sourceMappingURL=blob-tar.js.map