/**
 * Worker thread of HashPool: hashes the files it is sent with plain synchronous reads through one
 * reused buffer. Off the main thread, blocking reads are the fast path: no thread-pool hop and no
 * promise per read, and two workers hash on two cores at once.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

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
}

/** `keptAt`: where the file's bytes start in the reply's `kept` (its `size` of them). */
export type HashOutcome = { sha256: string; size: number; keptAt?: number } | { errno: string; message: string };

export interface HashReply {
  id: number;
  outcomes: HashOutcome[];
  /** The kept files' bytes, one after another (one buffer a batch, transferred, not copied). */
  kept?: ArrayBuffer;
}

const buffer = Buffer.allocUnsafe(1024 * 1024);

function hashOne(path: string, listedSize: number, keep: Uint8Array | undefined, keepAt: number): HashOutcome {
  try {
    const fd = openSync(path, 'r');
    try {
      const hash = createHash('sha256');
      let size = 0;
      let reads = 0;
      for (let n = readSync(fd, buffer, 0, buffer.length, null); n > 0; n = readSync(fd, buffer, 0, buffer.length, null)) {
        hash.update(buffer.subarray(0, n));
        size += n;
        reads++;
      }
      const sha256 = hash.digest('hex');
      // One read holds the whole file still in `buffer`; a file read at a size it was not
      // listed with fails the publish (hash-tree.ts), so its room in `keep` stays unused.
      if (keep && reads <= 1 && size === listedSize) {
        keep.set(buffer.subarray(0, size), keepAt);
        return { sha256, size, keptAt: keepAt };
      }
      return { sha256, size };
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    const { code, message } = err as NodeJS.ErrnoException;
    return { errno: code ?? 'EIO', message };
  }
}

parentPort?.on('message', (request: HashRequest) => {
  let keptBytes = 0;
  for (const size of request.sizes) if (size <= request.keepFileBytes) keptBytes += size;
  const kept = keptBytes > 0 ? new Uint8Array(keptBytes) : undefined;
  let keepAt = 0;
  const outcomes = request.paths.map((path, i) => {
    const size = request.sizes[i]!;
    if (!kept || size > request.keepFileBytes) return hashOne(path, size, undefined, 0);
    const outcome = hashOne(path, size, kept, keepAt);
    keepAt += size;
    return outcome;
  });
  const reply: HashReply = { id: request.id, outcomes, ...(kept ? { kept: kept.buffer } : {}) };
  parentPort?.postMessage(reply, kept ? [kept.buffer] : []);
});
