import { closeSync, fdatasync, openSync, rmSync, writeSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { WriteAnswer, WriteReply, WriteRequest } from './blob-writer.js';

/**
 * The thread behind `BlobWriter`: creates each temp file and writes its bytes with synchronous
 * calls, so the inode allocation and page-cache copy (100-300 µs a file on an ext4 that recently
 * deleted many files) run beside the event loop instead of in it, then hands each file's
 * fdatasync to libuv's pool, where many run at once and the disk commits them together. A reply
 * says a file is written and durable, or why not (its temp file then removed).
 */
const port = parentPort!;
let replies: WriteReply[] = [];
/** Buffers whose bytes are all in their files: sent back, so they never wait for this thread's GC. */
let written: ArrayBuffer[] = [];

port.on('message', ({ jobs, buffer }: WriteRequest) => {
  for (const job of jobs) {
    const bytes = new Uint8Array(buffer, job.offset, job.length);
    let fd: number | undefined;
    try {
      fd = openSync(job.temp, 'w', 0o644);
      const written = writeSync(fd, bytes);
      if (written !== bytes.length) throw Object.assign(new Error(`short write: the disk took ${written} of ${bytes.length} bytes`), { storeFull: true });
    } catch (err) {
      if (fd !== undefined) closeSync(fd);
      rmSync(job.temp, { force: true });
      reply({ id: job.id, error: describe(err) });
      continue;
    }
    const opened = fd;
    fdatasync(opened, (err) => {
      closeSync(opened);
      if (err) rmSync(job.temp, { force: true });
      reply({ id: job.id, ...(err ? { error: describe(err) } : {}) });
    });
  }
  if (replies.length === 0 && written.length === 0) setImmediate(flush);
  written.push(buffer);
});

/** Replies go back in batches: one message per turn of this thread's loop, not one per file. */
function reply(answer: WriteReply): void {
  if (replies.length === 0 && written.length === 0) setImmediate(flush);
  replies.push(answer);
}

function flush(): void {
  const answer: WriteAnswer = { replies, buffers: written };
  replies = [];
  written = [];
  port.postMessage(answer, answer.buffers);
}

function describe(err: unknown): NonNullable<WriteReply['error']> {
  const error = err as NodeJS.ErrnoException & { storeFull?: boolean };
  return { message: error.message ?? String(err), code: error.code, errno: error.errno, syscall: error.syscall, storeFull: error.storeFull === true };
}
