import { createReadStream, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { blobEntryHeader, paddingBytes, writeBlobEntryHeader } from '../../protocol/blob-tar-header.js';
import { CodesyncError } from '../../protocol/errors.js';
const BLOCK = 512;
/** Entries are gathered into chunks of about this size before the request takes them. */
const CHUNK_BYTES = 1024 * 1024;
/** Files up to this size are read whole (the rest are streamed). */
const READ_WHOLE_BYTES = 1024 * 1024;
/**
 * Files up to this size are read with one synchronous call: they were just hashed, so they come
 * from the page cache in microseconds, where an async read is four trips to the thread pool.
 */
const READ_SYNC_BYTES = 256 * 1024;
/** The largest size an 11-digit octal field holds. */
const MAX_SIZE = 8 ** 11 - 1;
/**
 * A tar stream of the blobs, entries named by sha256, built as the request drains it: headers,
 * bytes and padding written straight into ~1 MiB chunks (tar-stream's streams, callbacks and a
 * write or two per entry were most of the CLI's CPU for 100 000 tiny files). A blob's bytes come
 * from its hashing when it kept them, else from its file; a file whose size moved since its
 * listing fails the upload with TREE_CHANGED.
 */
export function blobTar(blobs, count, signal) {
    return Readable.from(tarChunks(blobs, count, signal), { objectMode: false });
}
async function* tarChunks(blobs, count, signal) {
    let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let at = 0;
    for (const [sha256, blob] of blobs) {
        signal.throwIfAborted();
        if (blob.size > MAX_SIZE)
            throw new CodesyncError('INTERNAL', `${JSON.stringify(blob.absolute)} is too big for a tar batch`);
        const padding = paddingBytes(blob.size);
        if (blob.size > READ_WHOLE_BYTES) {
            if (at > 0)
                yield chunk.subarray(0, at);
            yield blobEntryHeader(sha256, blob.size);
            let read = 0;
            for await (const part of createReadStream(blob.absolute, { highWaterMark: CHUNK_BYTES, signal })) {
                read += part.length;
                if (read > blob.size)
                    break;
                count(part.length);
                yield part;
            }
            if (read !== blob.size)
                throw changedWhileUploading(blob);
            if (padding > 0)
                yield Buffer.alloc(padding);
            chunk = Buffer.allocUnsafe(CHUNK_BYTES);
            at = 0;
            continue;
        }
        const data = blob.bytes ?? (blob.size <= READ_SYNC_BYTES ? readFileSync(blob.absolute) : await readFile(blob.absolute, { signal }));
        if (data.length !== blob.size)
            throw changedWhileUploading(blob);
        const entryBytes = BLOCK + blob.size + padding;
        if (at + entryBytes > chunk.length) {
            if (at > 0)
                yield chunk.subarray(0, at);
            chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, entryBytes));
            at = 0;
        }
        writeBlobEntryHeader(chunk, at, sha256, blob.size);
        data.copy(chunk, at + BLOCK);
        chunk.fill(0, at + BLOCK + blob.size, at + entryBytes);
        at += entryBytes;
        count(blob.size);
    }
    // The end of the archive: two zero blocks.
    if (at + 2 * BLOCK > chunk.length) {
        yield chunk.subarray(0, at);
        chunk = Buffer.allocUnsafe(2 * BLOCK);
        at = 0;
    }
    chunk.fill(0, at, at + 2 * BLOCK);
    yield chunk.subarray(0, at + 2 * BLOCK);
}
function changedWhileUploading(blob) {
    return new CodesyncError('TREE_CHANGED', `${JSON.stringify(blob.absolute)} changed between hashing and upload; publish again once writes settle`);
}
//# sourceMappingURL=blob-tar.js.map