// The object write worker's thread (object-write-worker.ts starts it): writes a batch of
// verified objects — one message per batch instead of five thread-pool round trips per object on
// the agent's event loop.
import { closeSync, fchmodSync, fdatasync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

/** A batch of objects, as parallel arrays (cheap to pass between threads): object i's bytes are `lengths[i]` long. */
export interface WriteBatch {
  id: number;
  /** Final names. */
  paths: string[];
  modes: number[];
  /** False when `open` already gives the file its mode (the umask leaves it whole): no fchmod. */
  chmods: boolean[];
  lengths: number[];
  /** Per object: true when its bytes are the next of `own`, false when they are `data`'s next `lengths[i]`. */
  moved: boolean[];
  data: ArrayBuffer;
  /** Buffers of one object each, moved rather than copied (large blobs). */
  own: ArrayBuffer[];
}

/** Why one object was not placed: an errno code (ENOSPC, EACCES, ...) and its message. */
export interface WriteFailure {
  code: string | undefined;
  message: string;
}

export interface WriteReply {
  id: number;
  /** Per object, in order: undefined when it holds its final name, its data durable. */
  failures: (WriteFailure | undefined)[];
  /** Directories whose entries this batch changed by creating a directory in them. */
  newDirs: string[];
}

/** Shard directories this thread made or found. */
const shards = new Set<string>();
/** Temp names: unique to this thread (a random tag) and to the object (a counter). */
const tag = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
let made = 0;

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
 * Writes every object of the batch in three passes: create and write each temp file in `tmpDir`
 * (synchronous calls: metadata and page cache), then fdatasync each in the thread pool, all at
 * once — one at a time, each waited for a journal commit of its own on a busy disk — and close
 * it, then rename each to its final name. While a batch waits on its fdatasyncs the next one is
 * written. A name only ever holds a whole object: the rename follows its file's fdatasync, and a
 * file cut short (a full disk) is unlinked.
 */
export async function writeBatch(batch: WriteBatch, tmpDir: string): Promise<WriteReply> {
  const packed = Buffer.from(batch.data);
  const count = batch.paths.length;
  let ownAt = 0;
  const temps: string[] = [];
  const failures: (WriteFailure | undefined)[] = new Array(count).fill(undefined);
  const fds: (number | undefined)[] = new Array(count).fill(undefined);
  const newDirs: string[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const temp = join(tmpDir, `${tag}-${made++}`);
    const length = batch.lengths[i]!;
    temps.push(temp);
    const moved = batch.moved[i] === true;
    const data = moved ? Buffer.from(batch.own[ownAt++]!) : packed;
    const start = moved ? 0 : offset;
    try {
      const fd = openSync(temp, 'wx', batch.modes[i]);
      fds[i] = fd;
      let written = 0;
      while (written < length) {
        const wrote = writeSync(fd, data, start + written, length - written);
        // A write that stores nothing without an error: never taken for a whole object.
        if (wrote === 0) throw Object.assign(new Error(`short write to ${temp}: ${written} of ${length} bytes stored`), { code: 'ENOSPC' });
        written += wrote;
      }
      if (batch.chmods[i]) fchmodSync(fd, batch.modes[i]!);
    } catch (err) {
      failures[i] = failure(err);
    }
    if (!moved) offset += length;
  }
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
  for (let i = 0; i < count; i++) {
    if (failures[i]) {
      removeQuietly(temps[i]!);
      continue;
    }
    const path = batch.paths[i]!;
    try {
      const dir = dirname(path);
      if (!shards.has(dir)) {
        const first = mkdirSync(dir, { recursive: true });
        // Every directory mkdir made is a new entry of its parent.
        if (first !== undefined) for (let step = dir; step !== dirname(first); step = dirname(step)) newDirs.push(dirname(step));
        shards.add(dir);
      }
      renameSync(temps[i]!, path);
    } catch (err) {
      failures[i] = failure(err);
      removeQuietly(temps[i]!);
    }
  }
  return { id: batch.id, failures, newDirs };
}

parentPort?.on('message', (batch: WriteBatch) => void writeBatch(batch, workerData as string).then((reply) => parentPort!.postMessage(reply)));
