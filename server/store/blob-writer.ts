import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { CodesyncError } from '../../protocol/errors.js';
import { endWorker } from '../../protocol/runtime/worker-end.js';

/** Files the worker is asked to write in one message: bounds the bytes copied into it at once. */
const JOBS_PER_MESSAGE = 256;
/** The worker ends after this long without work: an idle server does not keep its heap. */
const IDLE_MS = 5_000;
/** Request buffers are at least this big, so one returned by the worker fits most next requests. */
const BUFFER_MIN_BYTES = 256 * 1024;
/** Returned buffers kept for reuse. */
const SPARE_BUFFERS = 4;
/**
 * Writes not yet durable, by count and bytes: `room` waits above either. One syncfs covers every
 * write made before it began, so this count bounds its batch: at 128, a cold publish of 100 000
 * small files waited for 785 syncfs one after another (10–27 ms each on a journaled ext4), about
 * twice the wall of a few hundred bigger ones. More in flight costs the server's memory: at 4 096
 * its RSS peaked at 224–237 MiB in that publish (target < 200), at 1 024 at 179–195. Each holds a
 * descriptor until it is durable, so where descriptors are few the count is an eighth of their
 * limit (at least MIN_UNSYNCED); the bytes bound the page cache a syncfs has to write.
 */
const MAX_UNSYNCED = 1024;
const MIN_UNSYNCED = 128;
const MAX_UNSYNCED_BYTES = 8 * 1024 * 1024;
/** Descriptors the worker keeps open besides its unnamed files: directories, sockets, the rest of the server. */
const SPARE_DESCRIPTORS = 1024;
/** Unnamed files held at most, whatever the descriptor limit; past it staged blobs are temp files. */
const MAX_UNNAMED = 16_384;
/**
 * The worker's young generation (MiB): what it allocates (requests, replies) dies young and is
 * small, and V8's default let it grow to ~15 MiB of RSS during a cold publish of 10 000 files.
 */
const WORKER_YOUNG_MB = 2;

/** What the worker is started with. */
export interface WorkerData {
  /** The store's blob root: unnamed files are made there, and its fsync covers new prefix directories. */
  root: string;
  /** Where temp files go when an unnamed file cannot be had. */
  tmpDir: string;
  /** fdatasyncs in flight at once, in libuv's pool. */
  syncs: number;
  /** Unnamed files (open descriptors) held at once at most. */
  maxUnnamed: number;
}

export type WorkerRequest =
  | {
      kind: 'write';
      /**
       * Per job its id, offset and length in `buffer`, three numbers each: a typed array is
       * copied whole into the worker, where an object per job is serialized field by field.
       */
      jobs: Float64Array;
      /** The bytes of every job, one after another: one copy into the worker, transferred. */
      buffer: ArrayBuffer;
    }
  | {
      kind: 'place';
      id: number;
      /** PlaceJob's fields as one array each: arrays of numbers and strings are copied into the worker far cheaper than an object per blob. */
      refs: (number | string)[];
      targets: string[];
      stagedAts: Float64Array;
    }
  | { kind: 'drop'; id: number; refs: number[] };

/** A durable staged blob to put under its name: a write of this writer (`ref`), or a temp file. */
export interface PlaceJob {
  ref: number | string;
  target: string;
  /** When it was staged (ms): one staged long ago has its GC grace restarted. */
  stagedAt: number;
}

/** What the worker sends back: settled jobs, and the request buffers it is done with. */
export interface WorkerAnswer {
  /** Ids of writes now durable (the usual answer, a number each rather than an object). */
  durable: Float64Array;
  /** Every other answer: places, drops, failed writes. */
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
  /** Called once with the reply, or with why the job failed. */
  settle: (reply: WorkerReply | undefined, err: Error | undefined) => void;
  /** The worker holding it, once sent: only that worker's end fails it. */
  worker?: Worker;
}

/** A blob handed to the writer: `ref` names it to `place` and `drop`; `durable` settles once it is. */
export interface StagedWrite {
  ref: number;
  durable: Promise<void>;
}

/**
 * The file work of a cold publish on a worker thread (blob-write-worker.ts): each small blob's
 * bytes written to a new unnamed file and fdatasynced, held there until a batch's commit links
 * them under their names and fsyncs their directories. A publish of thousands of files makes a
 * syscall or three per file, tens to hundreds of microseconds each (a create), which on the event
 * loop would stall reading the upload, or cost two thread-pool hops each. Writes asked for in one
 * turn of the loop go to the worker together, and its answers come back together. The worker
 * starts on first use and ends when it has been idle (holding no staged blob) for a while.
 */
export class BlobWriter {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private queue: { id: number; bytes: Uint8Array }[] = [];
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private spares: ArrayBuffer[] = [];
  /** Writes not yet durable, and their bytes. */
  private unsynced = 0;
  private unsyncedBytes = 0;
  /** Staged writes not yet placed or dropped: the worker holds their files, so it must not end. */
  private held = 0;
  private roomWaiters: (() => void)[] = [];
  private readonly limits = descriptorShares(descriptorLimit());

  /** `syncs`: fdatasyncs the worker runs at once, in libuv's pool. */
  constructor(
    private readonly root: string,
    private readonly tmpDir: string,
    private readonly syncs: number,
  ) {}

  /**
   * Resolves once the writer takes more: few enough writes are waiting to be durable (undefined
   * when it takes more now: no promise to wait for). Callers wait on it before `write`, which
   * bounds the memory and descriptors of a huge upload.
   */
  room(): Promise<void> | undefined {
    if (this.unsynced < this.limits.maxUnsynced && this.unsyncedBytes < MAX_UNSYNCED_BYTES) return undefined;
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /**
   * Stages `bytes` (verified by the caller) in a new file the worker holds; `durable` resolves
   * once they are fdatasynced. Then `place` puts it under its name, or `drop` lets it go.
   */
  write(bytes: Uint8Array): StagedWrite {
    let settled!: (err: Error | undefined) => void;
    const durable = new Promise<void>((resolve, reject) => (settled = (err) => (err ? reject(err) : resolve())));
    // Observed here so a write failing before the caller awaits it is no unhandled rejection.
    durable.catch(() => {});
    return { ref: this.writeThen(bytes, settled), durable };
  }

  /**
   * `write` with a callback for its end instead of a promise (`settled(err)`, err undefined once
   * durable); returns its ref. A cold publish stages one per blob, and a promise with its
   * reactions each was a share of the event loop's time and of its garbage.
   */
  writeThen(bytes: Uint8Array, settled: (err: Error | undefined) => void): number {
    const id = this.nextId++;
    if (this.queue.length === 0) setImmediate(() => this.flush());
    this.queue.push({ id, bytes });
    this.unsynced++;
    this.unsyncedBytes += bytes.length;
    this.held++;
    clearTimeout(this.idleTimer);
    const size = bytes.length;
    this.pending.set(id, {
      settle: (_reply, err) => {
        this.synced(size);
        if (err) this.held--;
        settled(err);
      },
    });
    return id;
  }

  /**
   * Links each durable staged blob (a write's ref, or a temp file) as its target, making the
   * prefix directory when missing, lets its staged file go, and fsyncs every directory that got a
   * new name; returns which were new.
   */
  async place(jobs: PlaceJob[]): Promise<boolean[]> {
    const id = this.nextId++;
    const reply = this.answer(id);
    const stagedAts = Float64Array.from(jobs, (job) => job.stagedAt);
    this.send({ kind: 'place', id, refs: jobs.map((job) => job.ref), targets: jobs.map((job) => job.target), stagedAts }, [stagedAts.buffer as ArrayBuffer], [id]);
    try {
      return (await reply).created!;
    } finally {
      this.held -= jobs.filter((job) => typeof job.ref === 'number').length;
      this.maybeIdle();
    }
  }

  /** Lets staged writes go (an aborted batch): nothing of them is kept. */
  async drop(refs: number[]): Promise<void> {
    if (refs.length === 0) return;
    const id = this.nextId++;
    const reply = this.answer(id);
    this.send({ kind: 'drop', id, refs }, [], [id]);
    try {
      await reply;
    } finally {
      this.held -= refs.length;
      this.maybeIdle();
    }
  }

  /**
   * Starts the worker ahead of writes likely to come (a lookup missed: a publisher asking before
   * it uploads), so its start (~0.1 s of CPU, several times that on a busy machine, during which
   * the first writes waited) overlaps the client's hashing. It ends after IDLE_MS if none comes.
   */
  warm(): void {
    if (this.worker) return;
    this.started();
    this.maybeIdle();
  }

  /** Ends the worker (server close, or idle) once the writes sent to it are done. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await endWorker(worker);
  }

  private synced(bytes: number): void {
    this.unsynced--;
    this.unsyncedBytes -= bytes;
    if (this.unsynced < this.limits.maxUnsynced && this.unsyncedBytes < MAX_UNSYNCED_BYTES) {
      const waiters = this.roomWaiters;
      this.roomWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  private answer(id: number): Promise<WorkerReply> {
    clearTimeout(this.idleTimer);
    return new Promise((resolve, reject) => this.pending.set(id, { settle: (reply, err) => (err ? reject(err) : resolve(reply!)) }));
  }

  private flush(): void {
    while (this.queue.length > 0) {
      const chunk = this.queue.splice(0, JOBS_PER_MESSAGE);
      const buffer = this.buffer(chunk.reduce((sum, job) => sum + job.bytes.length, 0));
      const view = new Uint8Array(buffer);
      const jobs = new Float64Array(chunk.length * 3);
      let offset = 0;
      chunk.forEach(({ id, bytes }, k) => {
        view.set(bytes, offset);
        jobs[k * 3] = id;
        jobs[k * 3 + 1] = offset;
        jobs[k * 3 + 2] = bytes.length;
        offset += bytes.length;
      });
      this.send({ kind: 'write', jobs, buffer }, [buffer, jobs.buffer as ArrayBuffer], chunk.map((job) => job.id));
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
    const workerData: WorkerData = { root: this.root, tmpDir: this.tmpDir, syncs: this.syncs, maxUnnamed: this.limits.maxUnnamed };
    const worker = new Worker(new URL('./blob-write-worker.js', import.meta.url), { workerData, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
    worker.on('message', ({ durable, replies, buffers }: WorkerAnswer) => {
      this.spares = [...buffers, ...this.spares].slice(0, SPARE_BUFFERS);
      this.settle(durable, replies);
    });
    // A worker that dies (out of memory, terminated) fails what it held; the next job starts another.
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, waiter] of this.pending) {
        if (waiter.worker !== worker) continue;
        this.pending.delete(id);
        waiter.settle(undefined, err);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the blob write worker exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private settle(durable: Float64Array, replies: WorkerReply[]): void {
    for (const id of durable) {
      const waiter = this.pending.get(id);
      if (!waiter) continue;
      this.pending.delete(id);
      waiter.settle(undefined, undefined);
    }
    for (const reply of replies) {
      const waiter = this.pending.get(reply.id);
      if (!waiter) continue;
      this.pending.delete(reply.id);
      if (reply.error) waiter.settle(undefined, rebuild(reply.error));
      else waiter.settle(reply, undefined);
    }
    this.maybeIdle();
  }

  /** With nothing pending nor held, the worker stops keeping the process up and ends after IDLE_MS. */
  private maybeIdle(): void {
    if (this.pending.size > 0 || this.queue.length > 0 || this.held > 0) return;
    this.worker?.unref();
    this.spares = [];
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.close(), IDLE_MS);
    this.idleTimer.unref();
  }
}

/**
 * What the writer may hold of `descriptors`: unsynced writes an eighth of them (between
 * MIN_UNSYNCED and MAX_UNSYNCED), and the worker's unnamed files half of them less those and what
 * the rest of the server needs (at most MAX_UNNAMED; past that, staged blobs are temp files).
 */
function descriptorShares(descriptors: number): { maxUnsynced: number; maxUnnamed: number } {
  const maxUnsynced = Math.min(MAX_UNSYNCED, Math.max(MIN_UNSYNCED, Math.floor(descriptors / 8)));
  return { maxUnsynced, maxUnnamed: Math.max(0, Math.min(MAX_UNNAMED, Math.floor(descriptors / 2) - maxUnsynced - SPARE_DESCRIPTORS)) };
}

/** The descriptors the process may open (Node raises the soft limit to the hard one at start). */
function descriptorLimit(): number {
  try {
    const line = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (line) return Number(line[1]);
  } catch {
    // No /proc: unnamed files cannot be named there either; the worker finds out and uses temp files.
  }
  return 4096;
}

/** The worker's error as the calls on this thread would have thrown it: same code, same class. */
function rebuild(error: NonNullable<WorkerReply['error']>): Error {
  if (error.storeFull) return new CodesyncError('STORE_FULL', error.message);
  return Object.assign(new Error(error.message), { code: error.code, errno: error.errno, syscall: error.syscall });
}
