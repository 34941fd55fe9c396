import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { CodesyncError } from '../../protocol/errors.js';
import type { HashOutcome } from './hash-worker.js';

/** Bytes read per call; each hasher owns one such buffer for its whole life. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * Hashes files on the main thread through one reused buffer (few files: see hash-tree.ts). A tree is mostly small files: a fresh stream and a
 * 1 MiB buffer per file (what createReadStream does) costs more than the hashing itself.
 */
export class FileHasher {
  private readonly buffer = Buffer.allocUnsafe(CHUNK_BYTES);

  /** sha256 and size of the file as read now, or why it could not be read. */
  async hash(path: string, signal: AbortSignal): Promise<HashOutcome> {
    const hash = createHash('sha256');
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (err) {
      const { code, message } = err as NodeJS.ErrnoException;
      return { errno: code ?? 'EIO', message };
    }
    let size = 0;
    try {
      for (;;) {
        signal.throwIfAborted();
        const { bytesRead } = await handle.read(this.buffer, 0, CHUNK_BYTES, null);
        if (bytesRead === 0) break;
        hash.update(this.buffer.subarray(0, bytesRead));
        size += bytesRead;
      }
    } finally {
      await handle.close();
    }
    return { sha256: hash.digest('hex'), size };
  }
}

/** Why a listed file could not be hashed: gone since it was listed, or unreadable. */
export function unreadable(absolute: string, failure: { errno: string; message: string }): CodesyncError {
  if (failure.errno === 'ENOENT') return new CodesyncError('TREE_CHANGED', `${JSON.stringify(absolute)} was removed while the tree was read; publish again once writes settle`);
  return new CodesyncError('INTERNAL', `cannot read ${JSON.stringify(absolute)}: ${failure.message}`);
}
