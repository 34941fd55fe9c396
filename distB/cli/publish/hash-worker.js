/**
 * Worker thread of HashPool: hashes the files it is sent with plain synchronous reads through one
 * reused buffer. Off the main thread, blocking reads are the fast path: no thread-pool hop and no
 * promise per read, and two workers hash on two cores at once.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { blobEntryBytes, writeBlobEntryHeader } from '../../protocol/blob-tar-header.js';
const BLOCK = 512;
const buffer = Buffer.allocUnsafe(1024 * 1024);
/**
 * Hashes one file. With `keep`, a file of at most the room left there is read straight into it
 * (at `keepAt`, after a header's room when `tar`) and, when read at exactly its listed size,
 * kept: its outcome says where. A file read at another size is hashed whole but not kept (the
 * publish fails with TREE_CHANGED: hash-tree.ts); what it left in `keep` is overwritten.
 */
function hashOne(path, listedSize, keep, keepAt, tar) {
    try {
        const fd = openSync(path, 'r');
        try {
            const hash = createHash('sha256');
            let size = 0;
            if (keep) {
                const dataAt = tar ? keepAt + BLOCK : keepAt;
                while (size < listedSize) {
                    const n = readSync(fd, keep, dataAt + size, listedSize - size, null);
                    if (n === 0)
                        break;
                    size += n;
                }
                hash.update(keep.subarray(dataAt, dataAt + size));
                const more = readSync(fd, buffer, 0, buffer.length, null);
                if (more === 0 && size === listedSize) {
                    const sha256 = hash.digest('hex');
                    if (tar) {
                        writeBlobEntryHeader(keep, keepAt, sha256, size);
                        keep.fill(0, dataAt + size, keepAt + blobEntryBytes(size));
                    }
                    return { sha256, size, keptAt: dataAt };
                }
                hash.update(buffer.subarray(0, more));
                size += more;
            }
            for (let n = readSync(fd, buffer, 0, buffer.length, null); n > 0; n = readSync(fd, buffer, 0, buffer.length, null)) {
                hash.update(buffer.subarray(0, n));
                size += n;
            }
            return { sha256: hash.digest('hex'), size };
        }
        finally {
            closeSync(fd);
        }
    }
    catch (err) {
        const { code, message } = err;
        return { errno: code ?? 'EIO', message };
    }
}
parentPort?.on('message', (request) => {
    const tar = request.tarEntries === true;
    const room = (size) => (tar ? blobEntryBytes(size) : size);
    let keptBytes = 0;
    for (const size of request.sizes)
        if (size <= request.keepFileBytes)
            keptBytes += room(size);
    const kept = keptBytes > 0 ? Buffer.from(new ArrayBuffer(keptBytes)) : undefined;
    let keepAt = 0;
    const outcomes = request.paths.map((path, i) => {
        const size = request.sizes[i];
        if (!kept || size > request.keepFileBytes)
            return hashOne(path, size, undefined, 0, false);
        const outcome = hashOne(path, size, kept, keepAt, tar);
        if ('keptAt' in outcome && outcome.keptAt !== undefined)
            keepAt += room(size);
        return outcome;
    });
    const reply = { id: request.id, outcomes, ...(kept ? { kept: kept.buffer, keptBytes: keepAt } : {}) };
    parentPort?.postMessage(reply, kept ? [kept.buffer] : []);
});
//# sourceMappingURL=hash-worker.js.map