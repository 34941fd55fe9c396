/**
 * Worker thread of HashPool: hashes the files it is sent with plain synchronous reads through one
 * reused buffer. Off the main thread, blocking reads are the fast path: no thread-pool hop and no
 * promise per read, and two workers hash on two cores at once.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { blobEntryBytes, writeBlobEntryHeader } from '../../protocol/blob-tar-header.js';

/** A batch of absolute paths to hash, in order. */
export interface HashRequest {
  id: number;
  paths: string[];
  /** The size each file was listed with. */
  sizes: number[];
  /**
   * Files listed at most this big, and read at exactly that size, come back with their bytes
   * (`kept`): an upload then sends them without opening them again. 0: none.
   */
  keepFileBytes: number;
  /**
   * Kept files are laid out as the entries of a blob tar (header named by the sha256, bytes,
   * padding: protocol/blob-tar-header.ts), one after another: `kept` is then a piece of a tar
   * body as it is, sent without a copy or a look at each file on the main thread.
   */
  tarEntries?: boolean;
  /**
   * Memory of a tar piece already sent (transferred back): kept files go there when it is big
   * enough, so a cold publish does not fault in fresh pages for every batch (~15 us a page on
   * this VM: a fresh buffer per batch was ~0.5 s of a 189 MB publish's CLI CPU).
   */
  spare?: ArrayBuffer;
}

/** `keptAt`: where the file's bytes start in the reply's `kept` (its `size` of them). */
export type HashOutcome = { sha256: string; size: number; keptAt?: number } | { errno: string; message: string };

export interface HashReply {
  id: number;
  outcomes: HashOutcome[];
  /** The kept files' bytes (or tar entries), one after another (one buffer a batch, transferred, not copied). */
  kept?: ArrayBuffer;
  /** Bytes of `kept` in use: a file not read at its listed size leaves no room behind. */
  keptBytes?: number;
}

const BLOCK = 512;
/** A tar piece's memory is made at least this big, and a power of two: one handed back fits more batches. */
const PIECE_MIN_BYTES = 64 * 1024;
const buffer = Buffer.allocUnsafe(1024 * 1024);

/**
 * Hashes one file. With `keep`, a file of at most the room left there is read straight into it
 * (at `keepAt`, after a header's room when `tar`) and, when read at exactly its listed size,
 * kept: its outcome says where. A file read at another size is hashed whole but not kept (the
 * publish fails with TREE_CHANGED: hash-tree.ts); what it left in `keep` is overwritten.
 */
function hashOne(path: string, listedSize: number, keep: Buffer | undefined, keepAt: number, tar: boolean): HashOutcome {
  try {
    const fd = openSync(path, 'r');
    try {
      const hash = createHash('sha256');
      let size = 0;
      if (keep) {
        const dataAt = tar ? keepAt + BLOCK : keepAt;
        while (size < listedSize) {
          const n = readSync(fd, keep, dataAt + size, listedSize - size, null);
          if (n === 0) break;
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
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    const { code, message } = err as NodeJS.ErrnoException;
    return { errno: code ?? 'EIO', message };
  }
}

parentPort?.on('message', (request: HashRequest) => {
  const tar = request.tarEntries === true;
  const room = (size: number): number => (tar ? blobEntryBytes(size) : size);
  let keptBytes = 0;
  for (const size of request.sizes) if (size <= request.keepFileBytes) keptBytes += room(size);
  const spare = request.spare && request.spare.byteLength >= keptBytes ? request.spare : undefined;
  const kept = keptBytes > 0 ? Buffer.from(spare ?? new ArrayBuffer(tar ? pieceCapacity(keptBytes) : keptBytes)) : undefined;
  let keepAt = 0;
  const outcomes = request.paths.map((path, i) => {
    const size = request.sizes[i]!;
    if (!kept || size > request.keepFileBytes) return hashOne(path, size, undefined, 0, false);
    const outcome = hashOne(path, size, kept, keepAt, tar);
    if ('keptAt' in outcome && outcome.keptAt !== undefined) keepAt += room(size);
    return outcome;
  });
  const reply: HashReply = { id: request.id, outcomes, ...(kept ? { kept: kept.buffer as ArrayBuffer, keptBytes: keepAt } : {}) };
  parentPort?.postMessage(reply, kept ? [kept.buffer as ArrayBuffer] : []);
});

/** The room made for a tar piece of `bytes` (see PIECE_MIN_BYTES). */
function pieceCapacity(bytes: number): number {
  let capacity = PIECE_MIN_BYTES;
  while (capacity < bytes) capacity *= 2;
  return capacity;
}
