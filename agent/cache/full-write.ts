import { write, writeSync } from 'node:fs';
import { promisify } from 'node:util';

const writeFd = promisify(write);

/** A write that stored fewer bytes than asked without an error: never taken for a whole object. */
export function shortWrite(path: string, written: number, wanted: number): Error {
  return Object.assign(new Error(`short write to ${path}: ${written} of ${wanted} bytes stored`), { code: 'ENOSPC' });
}

/**
 * Writes all of `data` on the calling thread (bytes `offset` to `offset + length`), counting what
 * was stored: a short write (a filling disk) never passes for a whole file. For writes into the
 * page cache small enough that a thread-pool trip would cost more than the write.
 */
export function writeFullySync(fd: number, data: Buffer, path: string, offset = 0, length = data.length - offset): void {
  for (let written = 0; written < length; ) {
    const wrote = writeSync(fd, data, offset + written, length - written);
    if (wrote === 0) throw shortWrite(path, written, length);
    written += wrote;
  }
}

/** writeFullySync through the thread pool, for writes large enough to block the event loop. */
export async function writeFully(fd: number, data: Buffer, path: string): Promise<void> {
  for (let written = 0; written < data.length; ) {
    const { bytesWritten } = await writeFd(fd, data, written, data.length - written);
    if (bytesWritten === 0) throw shortWrite(path, written, data.length);
    written += bytesWritten;
  }
}
