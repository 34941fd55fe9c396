import { Worker } from 'node:worker_threads';
import { endWorker } from '../../protocol/runtime/worker-end.js';
import type { WriteBatch, WriteFailure, WriteReply } from './object-write-thread.js';

/** A batch is sent at this many objects or bytes, or once the event loop turns (the stream paused). */
const BATCH_OBJECTS = 128;
const BATCH_BYTES = 1024 * 1024;

/**
 * Batch buffers kept for reuse, at most. One is sent with each batch and comes back with its
 * reply; a batch in flight holds one, and the writer's byte bound keeps few in flight.
 */
const SPARE_BUFFERS = 4;

/** A batch buffer is made at least this large (a batch goes out past BATCH_BYTES), so one fits most batches. */
const BUFFER_BYTES = 2 * BATCH_BYTES;

/** A thread started ahead (`warm`) that no write reached in this long is ended again. */
const WARM_IDLE_MS = 30_000;

/** A batch as the writer sees it settle: per object its sha256, final name and failure, if any. */
export interface SettledBatch {
  sha256s: string[];
  paths: string[];
  /** Per object, '' or the tree file it was written at (`write`'s `file`). */
  files: string[];
  /** Bytes the batch held. */
  bytes: number;
  failures: (WriteFailure | undefined)[];
  /** Directories that got a new entry (a shard made): the writer's flush fsyncs them. */
  newDirs: string[];
}

interface OpenBatch {
  sha256s: string[];
  paths: string[];
  files: string[];
  modes: number[];
  chmods: boolean[];
  lengths: number[];
  /** The objects' bytes, in order: views of the chunks they arrived in. */
  pieces: Buffer[];
  bytes: number;
}

/**
 * Writes many small objects on one worker thread (object-write-thread.ts) in batches: a cold sync
 * of 10 000 objects costs the event loop about a hundred messages and no promise per object, not
 * 50 000 thread-pool round trips, which on a loaded node took 80-240 µs of the main thread each.
 * `onSettled` hears of each batch once every object of it holds its final name (data durable) or
 * failed (its temp file removed). The thread starts on the first write and ends with `close`, so
 * an idle agent holds none. (A second thread made a cold sync slower: creating files in one
 * directory takes its lock.)
 */
export class ObjectWriteWorker {
  /** Where the thread creates temp files (the cache's tmp/, emptied at start). */
  private readonly tmpDir: string;
  private readonly onSettled: (batch: SettledBatch) => void;
  private worker: Worker | undefined;
  private open: OpenBatch | undefined;
  private readonly sent = new Map<number, OpenBatch>();
  private nextId = 0;
  private idleWaiters: Array<() => void> = [];
  /**
   * Batch buffers the thread gave back. Reused rather than made fresh per batch: a fresh one's
   * every page was a fault on first write (~190 a MiB) and its release a trim's to give back,
   * and each was external memory that pushed V8 to collect.
   */
  private spare: ArrayBuffer[] = [];

  constructor(tmpDir: string, onSettled: (batch: SettledBatch) => void) {
    this.tmpDir = tmpDir;
    this.onSettled = onSettled;
  }

  /**
   * Queues bytes to become the object at `path` once the thread found it hashes to `sha256`
   * (a failure with code CHECKSUM_MISMATCH if not, nothing written): temp file, fdatasync, rename.
   * `pieces` (`size` bytes in all) are copied, once, when the batch is sent. `file`: a file of a
   * tree being built to hold the object too (object-write-thread.ts, `files`), or ''.
   */
  write(sha256: string, pieces: readonly Buffer[], size: number, path: string, mode: number, chmod: boolean, file = ''): void {
    let batch = this.open;
    if (!batch) {
      const opened: OpenBatch = { sha256s: [], paths: [], files: [], modes: [], chmods: [], lengths: [], pieces: [], bytes: 0 };
      this.open = batch = opened;
      // A batch still filling when the reader waits for the network goes out then.
      setImmediate(() => this.send(opened));
    }
    batch.sha256s.push(sha256);
    batch.paths.push(path);
    batch.files.push(file);
    batch.modes.push(mode);
    batch.chmods.push(chmod);
    batch.lengths.push(size);
    for (const piece of pieces) batch.pieces.push(piece);
    batch.bytes += size;
    if (batch.paths.length >= BATCH_OBJECTS || batch.bytes >= BATCH_BYTES) this.send(batch);
  }

  /**
   * Starts the thread ahead of the first write, for a sync about to fetch a whole tree: its start
   * (a V8 isolate and its modules, ~100 ms of CPU) then overlaps the manifest and the pull slot's
   * wait instead of holding up the first batch while the reader fills its bounded queue. Ended
   * again, like any idle thread, if no write comes within `idleMs`.
   */
  warm(idleMs = WARM_IDLE_MS): void {
    if (this.worker) return;
    const worker = this.thread();
    worker.unref();
    const timer = setTimeout(() => {
      if (this.worker === worker) void this.close();
    }, idleMs);
    timer.unref();
  }

  /** Resolves once every write queued so far has settled. */
  idle(): Promise<void> {
    if (!this.open && this.sent.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Ends the thread once nothing is queued or in flight; the next write starts another. */
  async close(): Promise<void> {
    if (this.open || this.sent.size > 0 || !this.worker) return;
    const worker = this.worker;
    this.worker = undefined;
    this.spare = [];
    await endWorker(worker);
  }

  private send(batch: OpenBatch): void {
    if (this.open !== batch) return;
    this.open = undefined;
    // One buffer per batch, moved (not copied) to the thread and given back with its reply; the
    // objects' bytes are views of the response's chunks, which a transfer would copy whole.
    const data = this.buffer(batch.bytes);
    const view = Buffer.from(data, 0, batch.bytes);
    let at = 0;
    for (const piece of batch.pieces) at += piece.copy(view, at);
    batch.pieces = [];
    const id = this.nextId++;
    this.sent.set(id, batch);
    const worker = this.thread();
    worker.ref();
    const message: WriteBatch = { id, sha256s: batch.sha256s.join(''), paths: batch.paths, files: batch.files, modes: batch.modes, chmods: batch.chmods, lengths: batch.lengths, data };
    worker.postMessage(message, [data]);
  }

  /**
   * A spare buffer of at least `bytes`, else a new one. Uninitialised memory (every byte used is
   * copied over): `new ArrayBuffer` zero-fills, a second pass over every byte of a cold sync.
   */
  private buffer(bytes: number): ArrayBuffer {
    const fit = this.spare.findIndex((buffer) => buffer.byteLength >= bytes);
    if (fit !== -1) return this.spare.splice(fit, 1)[0]!;
    return Buffer.allocUnsafeSlow(Math.max(bytes, BUFFER_BYTES)).buffer as ArrayBuffer;
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./object-write-thread.js', import.meta.url), { workerData: this.tmpDir });
    worker.on('message', (reply: WriteReply) => {
      if (this.worker === worker && this.spare.length < SPARE_BUFFERS) this.spare.push(reply.data);
      this.settle(reply.id, reply.failures, reply.newDirs);
    });
    const fail = (err: unknown): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const failure: WriteFailure = { code: (err as NodeJS.ErrnoException)?.code, message: (err as Error)?.message ?? String(err) };
      for (const [id, batch] of [...this.sent]) this.settle(id, batch.paths.map(() => failure), []);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the object write worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private settle(id: number, failures: (WriteFailure | undefined)[], newDirs: string[]): void {
    const batch = this.sent.get(id);
    if (!batch) return;
    this.sent.delete(id);
    // An idle thread does not keep the process alive.
    if (this.sent.size === 0) this.worker?.unref();
    this.onSettled({ sha256s: batch.sha256s, paths: batch.paths, files: batch.files, bytes: batch.bytes, failures, newDirs });
    if (!this.open && this.sent.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }
}
