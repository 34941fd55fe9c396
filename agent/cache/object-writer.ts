import { close, closeSync, fchmod, fchmodSync, fdatasync, open, openSync, rename, renameSync, unlink } from 'node:fs';
import { copyFile, lstat, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { CodesyncError } from '../../protocol/errors.js';
import { classifyFsError, flushPaths } from './durable-fs.js';
import { ObjectWriteWorker, type SettledBatch } from './object-write-worker.js';
import { shortWrite, writeFullySync } from './full-write.js';

// Callback fs calls, promisified: each is one thread-pool trip without a FileHandle's bookkeeping,
// which counts at 100 000 objects.
const openFd = promisify(open);
const fchmodFd = promisify(fchmod);
const fdatasyncFd = promisify(fdatasync);
const closeFd = promisify(close);
const renamePath = promisify(rename);
const unlinkPath = promisify(unlink);

/**
 * Object writes in flight at once. Each is a chain of thread-pool trips (open, write, fchmod,
 * fdatasync, close, rename), so the pool should be as large (UV_THREADPOOL_SIZE=64, set by the
 * chart; docs/operations.md): with 64 threads 10 000 small files are durable in a fraction of
 * the time 4 take.
 */
const MAX_WRITES = 64;

/**
 * Bulk writes in flight at once: several of the write worker's batches, so it never waits for the
 * next (and as many files open in it, waiting for their fdatasync).
 */
const MAX_BULK_WRITES = 512;

/** Verified bytes held in memory waiting for their write: a fast stream is held back by the disk. */
const MAX_WRITE_BYTES = 8 * 1024 * 1024;

/** The process's umask, read once (it is not changed while the agent runs). */
const UMASK = process.umask();

/** True when a file created with `mode` has exactly that mode: plain permission bits the umask leaves alone. */
function createdWith(mode: number): boolean {
  return mode === (mode & 0o777 & ~UMASK);
}

/** One object on its way into the cache. */
export interface StagedObject {
  sha256: string;
  /** Its final name, `objects/sha256/ab/<hex>[.<mode>]`. */
  path: string;
  /** Settles when the object is durable under its final name; rejects (classified) when its write failed. */
  stored: Promise<void>;
  /** True once it holds its final name (its data durable); its temp file is gone either way. */
  placed: boolean;
}

/**
 * Puts verified objects into the cache, many at once, off the event loop: each is written to a
 * temp file, fdatasync'd, and only then renamed to its final name, so a name always holds a whole
 * object, even after a crash. `flush` makes the new names durable: one fsync per touched shard.
 * Durability so costs what this sync wrote and overlaps the transfer; never `syncfs(2)`.
 */
export class ObjectWriter {
  /** `objects/`: the directory classified errors name. */
  private readonly dir: string;
  private readonly tmpDir: string;
  /**
   * Since the last flush: objects still being written, then, once settled, only what flush and
   * discard need — the shard directories placed in and the failures — so a cold sync of 100 000
   * objects holds nothing per object (a path each was ~20 MiB of its heap).
   */
  private readonly unsettled = new Set<StagedObject>();
  private placedDirs = new Set<string>();
  private failed: Array<{ sha256: string; err: unknown }> = [];
  /** Writes in flight, the bytes they hold, and who waits for room (`room`). */
  private inFlight = 0;
  private heldBytes = 0;
  private roomWaiters: Array<() => void> = [];
  /** The thread bulk writes go to (a cold sync's many small objects); started on the first. */
  private readonly bulk: ObjectWriteWorker;
  /** Shard directories known to exist; a new one also needs its parent fsync'd. */
  private readonly shards = new Map<string, Promise<void>>();
  private readonly newDirs = new Set<string>();
  /**
   * Hears of each object once it holds its final name, its data durable (its name not yet:
   * `flush`); `file` is the tree file it was written at (`writeBulk`), if any.
   */
  private readonly onPlaced: (sha256: string, path: string, file?: string) => void;

  constructor(dir: string, tmpDir: string, onPlaced: (sha256: string, path: string, file?: string) => void = () => {}) {
    this.dir = dir;
    this.tmpDir = tmpDir;
    this.onPlaced = onPlaced;
    this.bulk = new ObjectWriteWorker(tmpDir, (batch) => this.settleBulk(batch));
  }

  tempPath(name: string): string {
    return join(this.tmpDir, `${name}-${process.pid}-${Math.random().toString(36).slice(2)}`);
  }

  /** Waits until a write of `bytes` more fits the bounds (MAX_WRITES or MAX_BULK_WRITES, MAX_WRITE_BYTES). */
  async room(bytes: number, bulk = false): Promise<void> {
    while (!this.fits(bytes, bulk)) await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
  }

  /** True when a write of `bytes` more fits the bounds now (no need to wait in `room`). */
  fits(bytes: number, bulk = false): boolean {
    return this.inFlight < (bulk ? MAX_BULK_WRITES : MAX_WRITES) && (this.inFlight === 0 || this.heldBytes + bytes <= MAX_WRITE_BYTES);
  }

  /**
   * Writes verified bytes (a small blob's, at most SMALL_BLOB_BYTES: object-cache.ts) as the object
   * at `path` (call `room` first), which for a few objects costs less than starting a thread
   * (`writeBulk` for many). Only the fdatasync waits on the disk and goes to the thread pool; the
   * open, write into the page cache, close and rename are made here: a few µs each, where a trip
   * cost ~40 µs of CPU on a one-file sync's critical path.
   */
  write(sha256: string, data: Buffer, path: string, mode: number): StagedObject {
    return this.stage(
      sha256,
      path,
      data.length,
      async (temp) => {
        const fd = openSync(temp, 'wx', mode);
        try {
          writeFullySync(fd, data, temp);
          // open gave it `mode` less the umask: no call at all when that is all of it.
          if (!createdWith(mode)) fchmodSync(fd, mode);
          await fdatasyncFd(fd);
        } finally {
          closeSync(fd);
        }
      },
      undefined,
      true,
    );
  }

  /** Starts the bulk writes' thread ahead of the first (object-write-worker.ts, `warm`). */
  warmBulk(): void {
    this.bulk.warm();
  }

  /**
   * Queues bytes to become the object at `path` on the write worker (call `room(bytes, true)`
   * first) once the worker found they hash to `sha256` — verified off the event loop, which at a
   * cold sync of large files is the busier thread; bytes that do not match are never written.
   * One of many (a cold sync), so no promise per object: a failure (CHECKSUM_MISMATCH, or the
   * disk's) shows in `failure` once its batch settled and is thrown by `flush`, like any other write's. `pieces`:
   * the object's bytes in order (`size` in all), left untouched until its batch is sent. `file`: a
   * file of a tree being built (under `.staging`) the object is written at and then named from,
   * one link fewer than linking it there once placed; removed if the object fails.
   */
  writeBulk(sha256: string, pieces: readonly Buffer[], size: number, path: string, mode: number, file = ''): void {
    this.inFlight++;
    this.heldBytes += size;
    this.bulk.write(sha256, pieces, size, path, mode, !createdWith(mode), file);
  }

  /** The first write that failed since the last flush (the fetch stops at it), classified. */
  get failure(): unknown {
    return this.failed[0]?.err;
  }

  private settleBulk(batch: SettledBatch): void {
    for (const dir of batch.newDirs) this.newDirs.add(dir);
    batch.failures.forEach((failure, i) => {
      const sha256 = batch.sha256s[i]!;
      const path = batch.paths[i]!;
      if (failure) {
        const err = failure.code === 'CHECKSUM_MISMATCH' ? new CodesyncError('CHECKSUM_MISMATCH', failure.message) : classifyFsError(Object.assign(new Error(failure.message), { code: failure.code }), this.dir);
        this.failed.push({ sha256, err });
        return;
      }
      // Its shard exists now: later checks of the cache look in it (`made`).
      const dir = dirname(path);
      this.placedDirs.add(dir);
      if (!this.shards.has(dir)) this.shards.set(dir, Promise.resolve());
      this.onPlaced(sha256, path, batch.files[i] || undefined);
    });
    this.inFlight -= batch.paths.length;
    this.heldBytes -= batch.bytes;
    this.wakeRoom();
  }

  private wakeRoom(): void {
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Opens a temp file for an object written in pieces (a large blob); `finish` or `abandon` it. */
  async create(sha256: string, mode: number): Promise<{ fd: number; temp: string }> {
    const temp = this.tempPath(sha256);
    return { fd: await openFd(temp, 'wx', mode), temp };
  }

  /** Closes and removes a temp file that will never be an object. */
  async abandon(fd: number, temp: string): Promise<void> {
    await closeFd(fd).catch(() => {});
    await unlinkPath(temp).catch(() => {});
  }

  /** A file written whole through `create` becomes the object at `path`: mode, fdatasync, close, rename. */
  finish(sha256: string, file: { fd: number; temp: string }, path: string, mode: number): StagedObject {
    return this.stage(
      sha256,
      path,
      0,
      async () => {
        try {
          await fchmodFd(file.fd, mode);
          await fdatasyncFd(file.fd);
        } finally {
          await closeFd(file.fd);
        }
      },
      file.temp,
    );
  }

  /**
   * Copies the object at `source` (placed once `after` settles) to `path` under another mode:
   * hardlinks share one inode and so one mode, so each further mode needs its own copy.
   */
  copy(sha256: string, source: string, path: string, mode: number, size: number, after: Promise<void> = Promise.resolve()): StagedObject {
    return this.stage(sha256, path, 0, async (temp) => {
      await after;
      await copyFile(source, temp);
      const fd = await openFd(temp, 'r+');
      try {
        await fchmodFd(fd, mode);
        const copied = (await lstat(temp)).size;
        if (copied !== size) throw shortWrite(temp, copied, size);
        await fdatasyncFd(fd);
      } finally {
        await closeFd(fd);
      }
    });
  }

  /**
   * Waits until every staged object is durable under its final name: their data was synced
   * before each rename, so what is left is one fsync per cache directory touched. Throws the
   * first failed write (its temp file already gone).
   */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.unsettled].map(({ stored }) => stored));
    await this.bulk.idle();
    await this.bulk.close();
    const dirs = this.placedDirs;
    const failed = this.failed;
    this.placedDirs = new Set();
    this.failed = [];
    if (failed.length > 0) throw failed[0]!.err;
    if (dirs.size === 0) return;
    for (const dir of this.newDirs) dirs.add(dir);
    this.newDirs.clear();
    try {
      await flushPaths([...dirs]);
    } catch (err) {
      throw classifyFsError(err, this.dir);
    }
  }

  /**
   * Lets the staged objects of `blobs` settle and forgets their failures: after a failed fetch,
   * so no temp file outlives the sync that wrote it. Those that took their final name stay whole
   * and verified (the caller decides whether to keep them); objects other syncs staged (the cache
   * is shared by every app) stay.
   */
  async discard(blobs: ReadonlySet<string>): Promise<void> {
    await Promise.allSettled([...this.unsettled].filter(({ sha256 }) => blobs.has(sha256)).map(({ stored }) => stored));
    await this.bulk.idle();
    await this.bulk.close();
    this.failed = this.failed.filter(({ sha256 }) => !blobs.has(sha256));
  }

  /**
   * Runs `fill(temp)` and renames the temp file to `path` (`renameHere`: on this thread, not in
   * the pool); the temp file is removed when either fails. Counts toward the bounds until it settles.
   */
  private stage(sha256: string, path: string, bytes: number, fill: (temp: string) => Promise<void>, temp = this.tempPath(sha256), renameHere = false): StagedObject {
    return this.place(sha256, path, bytes, async () => {
      try {
        await fill(temp);
        await this.shard(dirname(path));
        if (renameHere) renameSync(temp, path);
        else await renamePath(temp, path);
      } catch (err) {
        // A file cut short by a full disk must not survive under any name.
        await unlinkPath(temp).catch(() => {});
        throw err;
      }
    });
  }

  /** Runs `put` (which leaves the object whole under `path`, or nothing), counting toward the bounds until it settles. */
  private place(sha256: string, path: string, bytes: number, put: () => Promise<void>): StagedObject {
    const staged: StagedObject = { sha256, path, stored: Promise.resolve(), placed: false };
    staged.stored = (async () => {
      try {
        await put();
        staged.placed = true;
      } catch (err) {
        throw classifyFsError(err, this.dir);
      }
    })();
    // Awaited by flush (or discard, or the fetch that checks it); never unhandled until then.
    const settled = staged.stored.then(
      () => {
        this.placedDirs.add(dirname(path));
        this.onPlaced(sha256, path);
      },
      (err: unknown) => void this.failed.push({ sha256, err }),
    );
    this.heldBytes += bytes;
    this.inFlight++;
    this.unsettled.add(staged);
    void settled.then(() => {
      this.inFlight--;
      this.unsettled.delete(staged);
      this.heldBytes -= bytes;
      this.wakeRoom();
    });
    return staged;
  }

  /** True when this writer made (or found) any shard directory. */
  get madeAny(): boolean {
    return this.shards.size > 0;
  }

  /** True when this writer made (or found) the shard directory `dir`. */
  made(dir: string): boolean {
    return this.shards.has(dir);
  }

  /** Creates a shard directory once per process; a new one makes its parent's entries dirty too. */
  private shard(dir: string): Promise<void> {
    let made = this.shards.get(dir);
    if (!made) {
      made = mkdir(dir, { recursive: true }).then((first) => {
        // Every directory mkdir made is a new entry of its parent.
        if (first !== undefined) for (let step = dir; step !== dirname(first); step = dirname(step)) this.newDirs.add(dirname(step));
      });
      made.catch(() => this.shards.delete(dir));
      this.shards.set(dir, made);
    }
    return made;
  }
}
