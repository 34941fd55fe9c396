import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import type { BlobStore } from '../store/blob-store.js';

/** Fixed headers make the tar a pure function of its blob list: same bytes on every request. */
const EPOCH = new Date(0);
/** Blobs up to this size are read whole rather than streamed. */
const WHOLE_READ_BYTES = 256 * 1024;

/**
 * A tar of blobs, entries named by sha256 in the given order, with fixed headers (mtime 0,
 * uid/gid 0, mode 0644, no user or group names). Streams blob by blob; a read error aborts it.
 */
export function blobTar(blobs: BlobStore, list: readonly { sha256: string; size: number }[]): Readable {
  const pack = tar.pack();
  void (async () => {
    for (const { sha256, size } of list) {
      await new Promise<void>((resolve, reject) => {
        const entry = pack.entry({ name: sha256, size, mode: 0o644, mtime: EPOCH, uid: 0, gid: 0, type: 'file' }, (err) => (err ? reject(err) : resolve()));
        // The callback above already rejects; without a listener a client that hangs up mid-pack
        // (ERR_STREAM_PREMATURE_CLOSE) would be an unhandled 'error' that kills the server.
        entry.on('error', () => {});
        void (async () => {
          // Most blobs of a code tree are small: one read of the whole file costs a few syscalls,
          // where a read stream per blob costs several more and a stream's machinery.
          const source: AsyncIterable<Buffer> | Buffer[] = size <= WHOLE_READ_BYTES ? [await readWhole(blobs, sha256, size)] : (blobs.open(sha256) as AsyncIterable<Buffer>);
          for await (const chunk of source) {
            if (!entry.write(chunk)) await new Promise<void>((drained) => entry.once('drain', () => drained()));
          }
          entry.end(undefined);
        })().catch((err: unknown) => {
          entry.destroy(err as Error);
          reject(err as Error);
        });
      });
    }
    pack.finalize();
  })().catch((err: unknown) => pack.destroy(err as Error));
  // A Node stream for fastify and pipeline; tar-stream's own are streamx streams.
  return Readable.from(pack);
}

/** A blob's bytes in one read; one of another size than listed is a damaged store, never sent. */
async function readWhole(blobs: BlobStore, sha256: string, size: number): Promise<Buffer> {
  const data = await readFile(blobs.path(sha256));
  if (data.length !== size) throw new Error(`blob ${sha256} holds ${data.length} bytes, its manifest says ${size}`);
  return data;
}
