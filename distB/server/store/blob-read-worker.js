import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { paddingBytes, writeBlobEntryHeader } from '../../protocol/blob-tar-header.js';
/**
 * The thread behind `BlobReader`: reads a run of small blobs with synchronous calls (open, one
 * read, close: no thread-pool trip, no promise per blob) into one buffer laid out as their tar
 * entries, header, bytes and padding, and hands the buffer back without a copy.
 */
const port = parentPort;
const { root } = workerData;
port.on('message', (request) => {
    const { buffer } = request;
    const view = Buffer.from(buffer);
    let offset = 0;
    try {
        for (let i = 0; i < request.sizes.length; i++) {
            const size = request.sizes[i];
            const name = request.sha256s.slice(i * 64, i * 64 + 64);
            writeBlobEntryHeader(view, offset, name, size);
            offset += 512;
            // As BlobStore.path names it.
            readExactly(join(root, name.slice(0, 2), name), name, view, offset, size);
            offset += size;
            // Also overwrites the byte a read may have spilled past the blob.
            const pad = paddingBytes(size);
            view.fill(0, offset, offset + pad);
            offset += pad;
        }
    }
    catch (err) {
        const error = err;
        const reply = { id: request.id, error: { message: error.message ?? String(err), code: error.code, errno: error.errno, syscall: error.syscall } };
        port.postMessage(reply);
        return;
    }
    const reply = { id: request.id, buffer, length: offset };
    port.postMessage(reply, [buffer]);
});
/**
 * Reads the blob at `path` into `view` at `offset`, asking for one byte more than `size`, so a
 * longer blob than listed (a damaged store) is never sent, nor a shorter one: either would shift
 * every header after it. The extra byte lands in the padding or the next header, both written after.
 */
function readExactly(path, name, view, offset, size) {
    const fd = openSync(path, 'r');
    try {
        let length = 0;
        // A regular file gives fewer bytes than asked only at its end: one read, as a rule.
        for (;;) {
            const bytesRead = readSync(fd, view, offset + length, size + 1 - length, length);
            length += bytesRead;
            if (bytesRead === 0 || length > size)
                break;
        }
        if (length !== size)
            throw new Error(`blob ${name} holds ${length > size ? 'more' : length} bytes, its manifest says ${size}`);
    }
    finally {
        closeSync(fd);
    }
}
//# sourceMappingURL=blob-read-worker.js.map