import type { Readable } from 'node:stream';
import { CodesyncError } from '../../protocol/errors.js';
import { assertSha256 } from '../../protocol/sha256.js';
import { BlobBatch } from '../store/blob-batch.js';
import type { BlobStore } from '../store/blob-store.js';
import { readTar } from './tar-input.js';

/**
 * Stores the blobs of a tar whose entries are named by their sha256 (`POST /v1/blobs`), each
 * verified. All or nothing: the blobs become visible together once the whole tar was read.
 */
export async function uploadBlobs(source: Readable, gzip: boolean, blobs: BlobStore): Promise<string[]> {
  const batch = new BlobBatch(blobs);
  try {
    await readTar(source, gzip, async ({ header, body }) => {
      const name = header.name.replace(/^(\.\/)+/, '');
      if (header.type !== 'file' && header.type !== 'contiguous-file') {
        body.resume();
        throw new CodesyncError('UNSUPPORTED_TAR_ENTRY', `tar entry ${JSON.stringify(header.name)} is a ${header.type}: a blob upload holds files named by their sha256`);
      }
      try {
        assertSha256(name);
      } catch (err) {
        body.resume();
        throw err;
      }
      await batch.add(body, { sha256: name, size: header.size ?? 0 });
    });
    return (await batch.commit()).map((blob) => blob.sha256);
  } catch (err) {
    await batch.abort();
    throw err;
  }
}
