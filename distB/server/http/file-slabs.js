import { SLAB_BYTES, sendSlabs } from '../store/send-slabs.js';
/** Bytes read per slab: a slab less the spare byte a run of small blobs needs. */
const READ_BYTES = SLAB_BYTES - 1;
/**
 * The bytes of the open file `handle`, read a slab at a time (send-slabs.ts) and lent, for
 * `sendSlabStream`. Stops at the file's end, or throws once it passed `maxBytes`.
 */
export async function* fileSlabs(handle, maxBytes = Infinity) {
    let read = 0;
    for (;;) {
        const slab = Buffer.from(sendSlabs.take(SLAB_BYTES));
        const { bytesRead } = await handle.read(slab, 0, READ_BYTES, read);
        if (bytesRead === 0)
            return;
        read += bytesRead;
        if (read > maxBytes)
            throw new FileTooLongError(read, maxBytes);
        yield sendSlabs.lend(slab.subarray(0, bytesRead));
    }
}
/** A file held more bytes than it was said to. */
export class FileTooLongError extends Error {
    bytes;
    maxBytes;
    code = 'FILE_TOO_LONG';
    constructor(bytes, maxBytes) {
        super(`a file holds more than its ${maxBytes} bytes`);
        this.bytes = bytes;
        this.maxBytes = maxBytes;
    }
}
//# sourceMappingURL=file-slabs.js.map