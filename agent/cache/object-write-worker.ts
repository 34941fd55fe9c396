import { Worker } from 'node:worker_threads';
import type { WriteBatch, WriteJob, WriteReply } from './object-write-thread.js';

/** A batch is sent at this many objects or bytes, or once the event loop turns (the stream paused). */
const BATCH_OBJECTS = 128;
const BATCH_BYTES = 1024 * 1024;

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface OpenBatch {
  jobs: WriteJob[];
  chunks: Buffer[];
  bytes: number;
  waiters: Waiter[];
}

/**
 * Writes many small objects on one worker thread (object-write-thread.ts) in batches: a cold sync
 * of 10 000 objects costs the event loop about a hundred messages, not 50 000 thread-pool round
 * trips, which on a loaded node took 80-240 µs of the main thread each. Each object's promise
 * settles when it holds its final name (data durable) or failed (its temp file removed). The
 * thread starts on the first write and ends with `close`, so an idle agent holds none. (A second
 * thread made a cold sync slower, not faster: creating files in one directory takes its lock.)
 */
export class ObjectWriteWorker {
  private worker: Worker | undefined;
  private open: OpenBatch | undefined;
  private readonly sent = new Map<number, Waiter[]>();
  private nextId = 0;
  /** Directories that got a new entry (a shard made): the writer's flush fsyncs them. */
  private readonly onNewDirs: (dirs: string[]) => void;

  constructor(onNewDirs: (dirs: string[]) => void) {
    this.onNewDirs = onNewDirs;
  }

  /** Writes `data` to `temp`, makes it durable, renames it to `path`. */
  write(job: Omit<WriteJob, 'offset' | 'length'>, data: Buffer): Promise<void> {
    let batch = this.open;
    if (!batch) {
      const opened: OpenBatch = { jobs: [], chunks: [], bytes: 0, waiters: [] };
      this.open = batch = opened;
      // A batch still filling when the reader waits for the network goes out then.
      setImmediate(() => this.send(opened));
    }
    batch.jobs.push({ ...job, offset: batch.bytes, length: data.length });
    batch.chunks.push(data);
    batch.bytes += data.length;
    const settled = new Promise<void>((resolve, reject) => batch.waiters.push({ resolve, reject }));
    if (batch.jobs.length >= BATCH_OBJECTS || batch.bytes >= BATCH_BYTES) this.send(batch);
    return settled;
  }

  /** Ends the thread once nothing is queued or in flight; the next write starts another. */
  async close(): Promise<void> {
    if (this.open || this.sent.size > 0 || !this.worker) return;
    const worker = this.worker;
    this.worker = undefined;
    await worker.terminate();
  }

  private send(batch: OpenBatch): void {
    if (this.open !== batch) return;
    this.open = undefined;
    // One buffer of its own per batch, moved (not copied) to the thread; the objects' bytes are
    // views of the response's chunks, which a transfer would copy whole.
    const data = new ArrayBuffer(batch.bytes);
    const view = Buffer.from(data);
    let at = 0;
    for (const chunk of batch.chunks) at += chunk.copy(view, at);
    const id = this.nextId++;
    this.sent.set(id, batch.waiters);
    const worker = this.thread();
    worker.ref();
    worker.postMessage({ id, jobs: batch.jobs, data } satisfies WriteBatch, [data]);
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./object-write-thread.js', import.meta.url));
    worker.on('message', (reply: WriteReply) => this.settle(reply));
    const fail = (err: unknown): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const waiters of this.sent.values()) for (const waiter of waiters) waiter.reject(err);
      this.sent.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the object write worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private settle(reply: WriteReply): void {
    const waiters = this.sent.get(reply.id);
    if (!waiters) return;
    this.sent.delete(reply.id);
    // An idle thread does not keep the process alive.
    if (this.sent.size === 0) this.worker?.unref();
    if (reply.newDirs.length > 0) this.onNewDirs(reply.newDirs);
    reply.failures.forEach((failure, i) => {
      if (!failure) waiters[i]!.resolve();
      else waiters[i]!.reject(Object.assign(new Error(failure.message), { code: failure.code }));
    });
  }
}
