// The object write worker's thread (object-write-worker.ts starts it): writes a batch of
// verified objects — one message per batch instead of five thread-pool round trips per object on
// the agent's event loop.
import { closeSync, fchmodSync, fdatasync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { parentPort } from 'node:worker_threads';

/** One object of a batch: its bytes are `data[offset, offset + length)`. */
export interface WriteJob {
  temp: string;
  path: string;
  mode: number;
  /** False when `open` already gives the file `mode` (the umask leaves it whole): no fchmod. */
  chmod: boolean;
  offset: number;
  length: number;
}

export interface WriteBatch {
  id: number;
  jobs: WriteJob[];
  data: ArrayBuffer;
}

/** Why one object was not placed: an errno code (ENOSPC, EACCES, ...) and its message. */
export interface WriteFailure {
  code: string | undefined;
  message: string;
}

export interface WriteReply {
  id: number;
  /** Per job, in order: undefined when it holds its final name, its data durable. */
  failures: (WriteFailure | undefined)[];
  /** Directories whose entries this batch changed by creating a directory in them. */
  newDirs: string[];
}

/** Shard directories this thread made or found. */
const shards = new Set<string>();

function failure(err: unknown): WriteFailure {
  return { code: (err as NodeJS.ErrnoException)?.code, message: (err as Error)?.message ?? String(err) };
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Gone already, or never made.
  }
}

/** fdatasync in the thread pool: the disk takes many at once, and they share journal commits. */
function syncData(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

/**
 * Writes every object of the batch in three passes: create and write each temp file (synchronous
 * calls: metadata and page cache), then fdatasync each in the thread pool, all at once — one at
 * a time, each waited for a journal commit of its own on a busy disk — and close it, then rename
 * each to its final name. While a batch waits on its fdatasyncs the next one is written. A name
 * only ever holds a whole object: the rename follows its file's fdatasync, and a file cut short
 * (a full disk) is unlinked.
 */
export async function writeBatch(batch: WriteBatch): Promise<WriteReply> {
  const data = Buffer.from(batch.data);
  const temps = batch.jobs.map((job) => job.temp);
  const failures: (WriteFailure | undefined)[] = batch.jobs.map(() => undefined);
  const fds: (number | undefined)[] = batch.jobs.map(() => undefined);
  const newDirs: string[] = [];
  batch.jobs.forEach((job, i) => {
    try {
      const fd = openSync(temps[i]!, 'wx', job.mode);
      fds[i] = fd;
      let written = 0;
      while (written < job.length) {
        const wrote = writeSync(fd, data, job.offset + written, job.length - written);
        // A write that stores nothing without an error: never taken for a whole object.
        if (wrote === 0) throw Object.assign(new Error(`short write to ${temps[i]}: ${written} of ${job.length} bytes stored`), { code: 'ENOSPC' });
        written += wrote;
      }
      if (job.chmod) fchmodSync(fd, job.mode);
    } catch (err) {
      failures[i] = failure(err);
    }
  });
  await Promise.all(
    fds.map(async (fd, i) => {
      if (fd === undefined) return;
      try {
        if (!failures[i]) await syncData(fd);
      } catch (err) {
        failures[i] = failure(err);
      } finally {
        closeSync(fd);
      }
    }),
  );
  batch.jobs.forEach((job, i) => {
    try {
      if (failures[i]) return;
      const dir = dirname(job.path);
      if (!shards.has(dir)) {
        const first = mkdirSync(dir, { recursive: true });
        // Every directory mkdir made is a new entry of its parent.
        if (first !== undefined) for (let step = dir; step !== dirname(first); step = dirname(step)) newDirs.push(dirname(step));
        shards.add(dir);
      }
      renameSync(temps[i]!, job.path);
    } catch (err) {
      failures[i] = failure(err);
    }
  });
  batch.jobs.forEach((_job, i) => {
    if (failures[i]) removeQuietly(temps[i]!);
  });
  return { id: batch.id, failures, newDirs };
}

parentPort?.on('message', (batch: WriteBatch) => void writeBatch(batch).then((reply) => parentPort!.postMessage(reply)));
