import type { Readable } from 'node:stream';
import { CodesyncError } from '../../protocol/errors.js';
import { assertSha256 } from '../../protocol/sha256.js';
import type { BlobStore } from '../store/blob-store.js';
import { readTar, removeCreated } from './tar-input.js';

/**
 * Stores the blobs of a tar whose entries are named by their sha256 (`POST /v1/blobs`), each
 * verified. All or nothing: on a failure the blobs this upload created are removed.
 */
export async function uploadBlobs(source: Readable, gzip: boolean, blobs: BlobStore): Promise<string[]> {
  const stored: string[] = [];
  const created: string[] = [];
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
      const blob = await blobs.write(body, { sha256: name, size: header.size ?? 0 });
      if (blob.created) created.push(blob.sha256);
      stored.push(blob.sha256);
    });
    return stored;
  } catch (err) {
    await removeCreated(blobs, created);
    throw err;
  }
}
