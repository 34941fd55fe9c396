import { Worker } from 'node:worker_threads';
import { CodesyncError } from '../../protocol/errors.js';

/** Files the worker is asked to write in one message: bounds the bytes copied into it at once. */
const JOBS_PER_MESSAGE = 256;
/** The worker ends after this long without work: an idle server does not keep its heap. */
const IDLE_MS = 5_000;
/** Request buffers are at least this big, so one returned by the worker fits most next requests. */
const BUFFER_MIN_BYTES = 256 * 1024;
/** Returned buffers kept for reuse. */
const SPARE_BUFFERS = 4;

export type WorkerRequest =
  | {
      kind: 'write';
      jobs: { id: number; temp: string; offset: number; length: number }[];
      /** The bytes of every job, one after another: one copy into the worker, transferred. */
      buffer: ArrayBuffer;
    }
  | { kind: 'place'; id: number; jobs: PlaceJob[] };

/** A durable temp file to put under its blob name (see BlobStore.place). */
export interface PlaceJob {
  temp: string;
  target: string;
}

/** What the worker sends back: settled jobs, and the request buffers it is done with. */
export interface WorkerAnswer {
  replies: WorkerReply[];
  buffers: ArrayBuffer[];
}

export interface WorkerReply {
  id: number;
  /** For a place: whether each blob was new (false: it was stored already, its grace restarted). */
  created?: boolean[];
  error?: { message: string; code?: string; errno?: number; syscall?: string; storeFull: boolean };
}

interface Pending {
  resolve: (reply: WorkerReply) => void;
  reject: (err: Error) => void;
  /** The worker holding it, once sent: only that worker's end fails it. */
  worker?: Worker;
}

/**
 * The file work of a cold publish on a worker thread (blob-write-worker.ts): each small blob's
 * bytes written to a new temp file and fdatasynced, and a batch's durable temp files linked under
 * their names. A publish of thousands of files makes a syscall or three per file, tens to
 * hundreds of microseconds each (a create), which on the event loop would stall reading the
 * upload, or cost two thread-pool hops each. Writes asked for in one turn of the loop go to the
 * worker together. The worker starts on first use and ends when idle.
 */
export class BlobWriter {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private queue: { id: number; temp: string; bytes: Uint8Array }[] = [];
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private spares: ArrayBuffer[] = [];

  /** Resolves once `bytes` are in a new file `temp` and fdatasynced; on failure `temp` is gone. */
  async write(temp: string, bytes: Uint8Array): Promise<void> {
    const id = this.nextId++;
    if (this.queue.length === 0) setImmediate(() => this.flush());
    this.queue.push({ id, temp, bytes });
    await this.answer(id);
  }

  /**
   * Links each durable temp file as its target (making the prefix directory when missing) and
   * removes the temp name, as `BlobStore.place` does one by one; returns which were new. The
   * directories are not fsynced: the caller does that.
   */
  async place(jobs: PlaceJob[]): Promise<boolean[]> {
    const id = this.nextId++;
    const reply = this.answer(id);
    this.send({ kind: 'place', id, jobs }, [], [id]);
    return (await reply).created!;
  }

  /** Ends the worker now (server close); writes still pending fail. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private answer(id: number): Promise<WorkerReply> {
    clearTimeout(this.idleTimer);
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  private flush(): void {
    while (this.queue.length > 0) {
      const chunk = this.queue.splice(0, JOBS_PER_MESSAGE);
      const buffer = this.buffer(chunk.reduce((sum, job) => sum + job.bytes.length, 0));
      const view = new Uint8Array(buffer);
      let offset = 0;
      const jobs = chunk.map(({ id, temp, bytes }) => {
        view.set(bytes, offset);
        offset += bytes.length;
        return { id, temp, offset: offset - bytes.length, length: bytes.length };
      });
      this.send({ kind: 'write', jobs, buffer }, [buffer], jobs.map((job) => job.id));
    }
  }

  private send(request: WorkerRequest, transfer: ArrayBuffer[], ids: number[]): void {
    const worker = this.started();
    // Held alive while it has work; unreferenced when idle, so it never keeps the process up.
    worker.ref();
    for (const id of ids) this.pending.get(id)!.worker = worker;
    worker.postMessage(request, transfer);
  }

  /** A spare buffer the worker gave back when one is big enough, else a new one. */
  private buffer(bytes: number): ArrayBuffer {
    const index = this.spares.findIndex((spare) => spare.byteLength >= bytes);
    if (index >= 0) return this.spares.splice(index, 1)[0]!;
    return new ArrayBuffer(Math.max(bytes, BUFFER_MIN_BYTES));
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./blob-write-worker.js', import.meta.url));
    worker.on('message', ({ replies, buffers }: WorkerAnswer) => {
      this.spares = [...buffers, ...this.spares].slice(0, SPARE_BUFFERS);
      this.settle(replies);
    });
    // A worker that dies (out of memory, terminated) fails what it held; the next job starts another.
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, waiter] of this.pending) {
        if (waiter.worker !== worker) continue;
        this.pending.delete(id);
        waiter.reject(err);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the blob write worker exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private settle(replies: WorkerReply[]): void {
    for (const reply of replies) {
      const waiter = this.pending.get(reply.id);
      if (!waiter) continue;
      this.pending.delete(reply.id);
      if (reply.error) waiter.reject(rebuild(reply.error));
      else waiter.resolve(reply);
    }
    if (this.pending.size === 0 && this.queue.length === 0) {
      this.worker?.unref();
      this.spares = [];
      this.idleTimer = setTimeout(() => void this.close(), IDLE_MS);
      this.idleTimer.unref();
    }
  }
}

/** The worker's error as the calls on this thread would have thrown it: same code, same class. */
function rebuild(error: NonNullable<WorkerReply['error']>): Error {
  if (error.storeFull) return new CodesyncError('STORE_FULL', error.message);
  return Object.assign(new Error(error.message), { code: error.code, errno: error.errno, syscall: error.syscall });
}
