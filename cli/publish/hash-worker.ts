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
}

export type HashOutcome = { sha256: string; size: number } | { errno: string; message: string };

export interface HashReply {
  id: number;
  outcomes: HashOutcome[];
}

const buffer = Buffer.allocUnsafe(1024 * 1024);

function hashOne(path: string): HashOutcome {
  try {
    const fd = openSync(path, 'r');
    try {
      const hash = createHash('sha256');
      let size = 0;
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
  const reply: HashReply = { id: request.id, outcomes: request.paths.map(hashOne) };
  parentPort?.postMessage(reply);
});
