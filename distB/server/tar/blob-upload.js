import { assertSha256 } from '../../protocol/sha256.js';
import { BlobBatch, BUFFER_BYTES } from '../store/blob-batch.js';
import { readBlobTar } from './blob-tar-reader.js';
import { decodedTar, drain, tarError } from './tar-input.js';
/**
 * Stores the blobs of a tar whose entries are named by their sha256 (`POST /v1/blobs`), each
 * verified. All or nothing: the blobs become visible together once the whole tar was read.
 */
export async function uploadBlobs(source, gzip, blobs) {
    const batch = new BlobBatch(blobs);
    try {
        const input = await decodedTar(source, gzip);
        await readBlobTar(input, BUFFER_BYTES, ({ name, size, bytes, body }) => {
            const sha256 = name.startsWith('./') ? name.replace(/^(\.\/)+/, '') : name;
            assertSha256(sha256);
            // Staged at once while the write worker has room (no promise to wait for).
            if (bytes)
                return batch.addBytesNow(bytes, { sha256, size });
            return batch.add(body, { sha256, size }).then(() => undefined);
        });
        return (await batch.commit()).map((blob) => blob.sha256);
    }
    catch (err) {
        drain(source);
        await batch.abort();
        throw tarError(err);
    }
}
//# sourceMappingURL=blob-upload.js.map