import { closeSync, fdatasync, linkSync, mkdirSync, openSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { PlaceJob, WorkerAnswer, WorkerReply, WorkerRequest } from './blob-writer.js';

/**
 * The thread behind `BlobWriter`, making synchronous calls so the event loop makes none. A write
 * creates the temp file and writes its bytes (the inode allocation and page-cache copy: 10-300 µs
 * a file on an ext4 that recently deleted many files), then hands the file's fdatasync to libuv's
 * pool, where many run at once and the disk commits them together; its reply says the file is
 * written and durable, or why not (its temp file then removed). A place links a batch of durable
 * temp files under their names, as BlobStore.place does one at a time.
 */
const port = parentPort!;
let replies: WorkerReply[] = [];
/** Buffers whose bytes are all in their files: sent back, so they never wait for this thread's GC. */
let written: ArrayBuffer[] = [];

port.on('message', (request: WorkerRequest) => {
  if (request.kind === 'place') {
    try {
      reply({ id: request.id, created: request.jobs.map(place) });
    } catch (err) {
      reply({ id: request.id, error: describe(err) });
    }
    return;
  }
  for (const job of request.jobs) {
    const bytes = new Uint8Array(request.buffer, job.offset, job.length);
    let fd: number | undefined;
    try {
      fd = openSync(job.temp, 'w', 0o644);
      const written = writeSync(fd, bytes);
      if (written !== bytes.length) throw Object.assign(new Error(`short write: the disk took ${written} of ${bytes.length} bytes`), { storeFull: true });
    } catch (err) {
      if (fd !== undefined) closeSync(fd);
      dropTemp(job.temp);
      reply({ id: job.id, error: describe(err) });
      continue;
    }
    const opened = fd;
    fdatasync(opened, (err) => {
      closeSync(opened);
      if (err) dropTemp(job.temp);
      reply({ id: job.id, ...(err ? { error: describe(err) } : {}) });
    });
  }
  if (replies.length === 0 && written.length === 0) setImmediate(flush);
  written.push(request.buffer);
});

/**
 * Links a temp file under its name, then removes the temp name; true when the blob is new. A
 * blob already stored has its GC grace restarted instead; one GC set aside between the failed
 * link and the touch is gone (the touch finds nothing), and this copy is placed.
 */
function place({ temp, target }: PlaceJob): boolean {
  try {
    if (linkNew(temp, target)) return true;
    if (touch(target)) return false;
    return linkNew(temp, target);
  } finally {
    removeTemp(temp);
  }
}

/** After a failure, which is what the reply reports: a temp name left over goes at the next start. */
function dropTemp(temp: string): void {
  try {
    removeTemp(temp);
  } catch {
    // The caller removes it again (BlobBatch, BlobStore.write), and init empties tmp/.
  }
}

/** One unlink, where rmSync would lstat first. */
function removeTemp(temp: string): void {
  try {
    unlinkSync(temp);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function linkNew(temp: string, target: string, madeDir = false): boolean {
  try {
    linkSync(temp, target);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'ENOENT' || madeDir) throw err;
  }
  // The prefix directory is new (a temp file gone is ENOENT again, and thrown).
  mkdirSync(dirname(target), { recursive: true });
  return linkNew(temp, target, true);
}

function touch(target: string): boolean {
  const now = new Date();
  try {
    utimesSync(target, now, now);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** Replies go back in batches: one message per turn of this thread's loop, not one per file. */
function reply(answer: WorkerReply): void {
  if (replies.length === 0 && written.length === 0) setImmediate(flush);
  replies.push(answer);
}

function flush(): void {
  const answer: WorkerAnswer = { replies, buffers: written };
  replies = [];
  written = [];
  port.postMessage(answer, answer.buffers);
}

function describe(err: unknown): NonNullable<WorkerReply['error']> {
  const error = err as NodeJS.ErrnoException & { storeFull?: boolean };
  return { message: error.message ?? String(err), code: error.code, errno: error.errno, syscall: error.syscall, storeFull: error.storeFull === true };
}
