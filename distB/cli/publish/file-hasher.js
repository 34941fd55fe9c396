import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
/** Bytes read per call; each hasher owns one such buffer for its whole life. */
const CHUNK_BYTES = 1024 * 1024;
/**
 * Hashes files on the main thread through one reused buffer (few files: see hash-tree.ts). A tree is mostly small files: a fresh stream and a
 * 1 MiB buffer per file (what createReadStream does) costs more than the hashing itself.
 */
export class FileHasher {
    buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    /** sha256 and size of the file as read now, or why it could not be read. */
    async hash(path, signal) {
        const hash = createHash('sha256');
        let handle;
        try {
            handle = await open(path, 'r');
        }
        catch (err) {
            const { code, message } = err;
            return { errno: code ?? 'EIO', message };
        }
        let size = 0;
        try {
            for (;;) {
                signal.throwIfAborted();
                const { bytesRead } = await handle.read(this.buffer, 0, CHUNK_BYTES, null);
                if (bytesRead === 0)
                    break;
                hash.update(this.buffer.subarray(0, bytesRead));
                size += bytesRead;
            }
        }
        finally {
            await handle.close();
        }
        return { sha256: hash.digest('hex'), size };
    }
}
//# sourceMappingURL=file-hasher.js.map