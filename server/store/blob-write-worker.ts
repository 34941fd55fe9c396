import { randomBytes } from 'node:crypto';
import { closeSync, fdatasync, fsync, futimesSync, linkSync, mkdirSync, openSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { release as kernelRelease } from 'node:os';
import { dirname, join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { libcFunction } from '../../protocol/runtime/libc.js';
import { endRequested } from '../../protocol/runtime/worker-end.js';
import { UnnamedFiles } from '../../protocol/runtime/unnamed-file.js';
import { DirSyncer } from './dir-syncer.js';
import type { PlaceJob, WorkerAnswer, WorkerData, WorkerReply, WorkerRequest } from './blob-writer.js';

/**
 * The thread behind `BlobWriter`, making synchronous calls so the event loop makes none. A write
 * creates an unnamed file (O_TMPFILE in the store's root: no directory entry to make now nor
 * remove later, and a crash leaves nothing behind) or, where that cannot be had or too many are
 * held, a temp file in tmp/; and writes the bytes. Many written blobs are made durable together
 * by one syncfs(2) of the store's filesystem, on libuv's pool: one journal commit and one cache
 * flush for every blob written since the last, where an fdatasync each cost a commit and a flush
 * per blob (10 000 new 16-byte files on a fresh journaled ext4: 0.7 s against 11.7 s at 36 at
 * once). A few, or all where syncfs cannot be had or failed, get an fdatasync each, at most
 * `syncs` at once (an error then belongs to the blob whose bytes it concerns). Its reply says the
 * blob is durable, or why not. The file stays held (by descriptor, or by temp name) until a place
 * links it under its blob name, or a drop lets it go. A place links a batch, then makes the new
 * names durable before it answers: names in many directories by a syncfs shared with the places
 * waiting at the same moment, names in a few by an fsync of each directory (shared the same way).
 */
const { root, tmpDir, syncs, maxUnnamed } = workerData as WorkerData;
/**
 * Fewer written blobs than this waiting get an fdatasync each rather than a syncfs, and a place
 * naming files in fewer directories fsyncs each of them: their cost is bounded by what they wrote,
 * where a syncfs also waits for every other dirty page of the filesystem (a one-file publish).
 */
const SYNCFS_MIN_BLOBS = 16;
const SYNCFS_MIN_DIRS = 8;
/** A blob staged this long ago has its mtime set to now when placed, so it gets its full GC grace. */
const REFRESH_AFTER_MS = 60_000;

const port = parentPort!;
const unnamed = new UnnamedFiles();
const tempPrefix = randomBytes(6).toString('hex');
let tempCount = 0;

interface Held {
  /** Open until placed for an unnamed file; closed (-1) once synced for a temp file. */
  fd: number;
  /** The temp file's name; undefined for an unnamed file. */
  temp: string | undefined;
  writtenAt: number;
}
const held = new Map<number, Held>();
let unnamedHeld = 0;
/** Written blobs waiting for their fdatasync, in order; `unsyncedHead` is the next. */
let unsynced: number[] = [];
let unsyncedHead = 0;
let syncing = 0;

type SyncFs = ((fd: number) => number) & { async(fd: number, done: (err: unknown, result: number) => void): void };
/**
 * libc's syncfs, until it fails once (then every blob gets its own fdatasync). Before Linux 5.8 a
 * syncfs did not report a failed writeback, so there it is not used at all.
 */
let syncfs = reportsWritebackErrors(kernelRelease()) ? libcFunction<SyncFs>('int syncfs(int fd)') : null;
/** The blob root, held open for syncfs. */
let rootFd: number | undefined;

/**
 * The new names of the places waiting at one moment, made durable by one syncfs of the root shared
 * between them (same sharing as the directory fsyncs below, one key). A cold publish of 100 000
 * small files otherwise made ~23 000 directory fsyncs: each batch of 1 024 blobs names a file in
 * nearly every one of the 256 prefix directories.
 */
const namesSyncer = new DirSyncer(() => syncfsRoot());

/** Directory descriptors kept open for their fsyncs where syncfs cannot be had (the root and at most 256 prefixes). */
const dirFds = new Map<string, number>();
const dirSyncer = new DirSyncer(
  (dir) =>
    new Promise<void>((resolve, reject) => {
      let fd = dirFds.get(dir);
      if (fd === undefined) dirFds.set(dir, (fd = openSync(dir, 'r')));
      fsync(fd, (err) => (err ? reject(err) : resolve()));
    }),
);

/** Ids of writes now durable: sent back as one typed array per turn. */
let durable: number[] = [];
let replies: WorkerReply[] = [];
/** Buffers whose bytes are all in their files: sent back, so they never wait for this thread's GC. */
let written: ArrayBuffer[] = [];

port.on('message', (request: WorkerRequest) => {
  if (endRequested(request, port)) return;
  switch (request.kind) {
    case 'write':
      for (let k = 0; k < request.jobs.length; k += 3) write(request.jobs[k]!, new Uint8Array(request.buffer, request.jobs[k + 1]!, request.jobs[k + 2]!));
      flushSoon();
      written.push(request.buffer);
      pump();
      return;
    case 'place':
      void place(request.id, request.refs.map((ref, k) => ({ ref, target: request.targets[k]!, stagedAt: request.stagedAts[k]! })));
      return;
    case 'drop':
      for (const id of request.refs) release(id);
      reply({ id: request.id });
      return;
  }
});

function write(id: number, bytes: Uint8Array): void {
  let fd: number | undefined;
  let temp: string | undefined;
  try {
    if (unnamedHeld < maxUnnamed) fd = unnamed.open(root, 0o644);
    if (fd === undefined) fd = openSync((temp = join(tmpDir, `${tempPrefix}-w${++tempCount}`)), 'w', 0o644);
    else unnamedHeld++;
    held.set(id, { fd, temp, writtenAt: Date.now() });
    const done = writeSync(fd, bytes);
    if (done !== bytes.length) throw Object.assign(new Error(`short write: the disk took ${done} of ${bytes.length} bytes`), { storeFull: true });
  } catch (err) {
    if (held.has(id)) release(id);
    else if (fd !== undefined) closeSync(fd);
    reply({ id, error: describe(err) });
    return;
  }
  unsynced.push(id);
}

/**
 * Makes written blobs durable: many at once by one syncfs when it can, a few (or all, without
 * syncfs) by an fdatasync each. One kind runs at a time; the next starts when it returns.
 */
function pump(): void {
  if (!syncfs) return syncEach();
  if (syncing > 0) return;
  if (unsynced.length - unsyncedHead >= SYNCFS_MIN_BLOBS) syncTogether(syncfs);
  else syncEach();
}

/**
 * One syncfs at a time, covering every blob written before it began; blobs written meanwhile wait
 * for the next, started as soon as it returns.
 */
function syncTogether(call: SyncFs): void {
  if (syncing > 0 || unsyncedHead === unsynced.length) return;
  const batch = unsynced.slice(unsyncedHead);
  unsynced = [];
  unsyncedHead = 0;
  try {
    rootFd ??= openSync(root, 'r');
  } catch {
    return fallBack(batch);
  }
  syncing++;
  call.async(rootFd, (err, result) => {
    syncing--;
    if (err || result !== 0) return fallBack(batch);
    for (const id of batch) {
      const file = held.get(id);
      if (!file) continue;
      if (file.temp !== undefined) {
        closeSync(file.fd);
        file.fd = -1;
      }
      made(id);
    }
    pump();
  });
}

/** syncfs failed (or the root could not be opened): these blobs and all later ones get an fdatasync each. */
function fallBack(batch: number[]): void {
  syncfs = null;
  unsynced = [...batch, ...unsynced.slice(unsyncedHead)];
  unsyncedHead = 0;
  pump();
}

/** Starts fdatasyncs of written blobs while fewer than `syncs` run. */
function syncEach(): void {
  while (syncing < syncs && unsyncedHead < unsynced.length) {
    const id = unsynced[unsyncedHead++]!;
    const file = held.get(id);
    if (!file) continue;
    syncing++;
    fdatasync(file.fd, (err) => {
      syncing--;
      if (err) release(id);
      else if (file.temp !== undefined) {
        closeSync(file.fd);
        file.fd = -1;
      }
      if (err) reply({ id, error: describe(err) });
      else made(id);
      pump();
    });
  }
  if (unsyncedHead === unsynced.length) {
    unsynced = [];
    unsyncedHead = 0;
  }
}

async function place(id: number, jobs: PlaceJob[]): Promise<void> {
  try {
    const dirs = new Set<string>();
    const now = Date.now();
    const created: boolean[] = [];
    // Every job's staged file is let go, whatever happens: the caller forgets them all.
    try {
      for (const job of jobs) {
        try {
          created.push(placeOne(job, now, dirs));
        } finally {
          letGo(job.ref);
        }
      }
    } catch (err) {
      for (const job of jobs.slice(created.length + 1)) letGo(job.ref);
      throw err;
    }
    await namesDurable(dirs);
    reply({ id, created });
  } catch (err) {
    reply({ id, error: describe(err) });
  }
}

/**
 * Makes the new names in `dirs` durable: names in many directories by a shared syncfs (until one
 * fails), names in a few by each directory's fsync.
 */
async function namesDurable(dirs: Set<string>): Promise<void> {
  if (dirs.size === 0) return;
  if (syncfs && dirs.size >= SYNCFS_MIN_DIRS) {
    try {
      return await namesSyncer.sync(root);
    } catch {
      syncfs = null;
    }
  }
  await Promise.all([...dirs].map((dir) => dirSyncer.sync(dir)));
}

/** One syncfs of the store's filesystem, in libuv's pool. */
function syncfsRoot(): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!syncfs) return reject(new Error('syncfs cannot be had'));
    rootFd ??= openSync(root, 'r');
    syncfs.async(rootFd, (err, result) => (err || result !== 0 ? reject(err ?? new Error('syncfs failed')) : resolve()));
  });
}

/**
 * Links a durable staged file under its name; true when the blob is new (its directory, and the
 * root when the prefix directory was made, go to `dirs`). A blob already stored has its GC grace
 * restarted instead; one GC set aside between the failed link and the touch is gone (the touch
 * finds nothing), and this copy is placed.
 */
function placeOne({ ref, target, stagedAt }: PlaceJob, now: number, dirs: Set<string>): boolean {
  const file = typeof ref === 'number' ? held.get(ref) : undefined;
  if (typeof ref === 'number' && !file) throw new Error(`staged blob ${ref} is not held by the write worker`);
  const from = file ? (file.temp ?? file.fd) : (ref as string);
  if (now - stagedAt > REFRESH_AFTER_MS) {
    if (typeof from === 'number') futimesSync(from, now / 1000, now / 1000);
    else utimesSync(from, now / 1000, now / 1000);
  }
  if (linkNew(from, target, dirs) || (!touch(target) && linkNew(from, target, dirs))) {
    dirs.add(dirname(target));
    return true;
  }
  return false;
}

/** Links `from` (a descriptor of an unnamed file, or a temp name) as `target`; false when it exists. */
function linkNew(from: number | string, target: string, dirs: Set<string>, madeDir = false): boolean {
  try {
    if (typeof from === 'number') unnamed.link(from, target);
    else linkSync(from, target);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'ENOENT' || madeDir) throw err;
  }
  // The prefix directory is new: its own name is made durable by the root's fsync.
  mkdirSync(dirname(target), { recursive: true });
  dirs.add(root);
  return linkNew(from, target, dirs, true);
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

function letGo(ref: number | string): void {
  if (typeof ref === 'number') release(ref);
  else removeTemp(ref);
}

/** Lets a staged file go: its descriptor closed (an unnamed file is then gone), its temp name removed. */
function release(id: number): void {
  const file = held.get(id);
  if (!file) return;
  held.delete(id);
  if (file.fd >= 0) closeSync(file.fd);
  if (file.temp === undefined) unnamedHeld--;
  else removeTemp(file.temp);
}

/** One unlink, where rmSync would lstat first; a name left over goes at the next start (init empties tmp/). */
function removeTemp(temp: string): void {
  try {
    unlinkSync(temp);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Replies go back in batches: one message per turn of this thread's loop, not one per file. */
function reply(answer: WorkerReply): void {
  flushSoon();
  replies.push(answer);
}

/** The write `id` is durable. */
function made(id: number): void {
  flushSoon();
  durable.push(id);
}

/** Sends what is gathered at the end of this turn, once. */
function flushSoon(): void {
  if (durable.length === 0 && replies.length === 0 && written.length === 0) setImmediate(flush);
}

function flush(): void {
  const answer: WorkerAnswer = { durable: Float64Array.from(durable), replies, buffers: written };
  durable = [];
  replies = [];
  written = [];
  port.postMessage(answer, [...answer.buffers, answer.durable.buffer as ArrayBuffer]);
}

/** Whether a Linux release (`uname -r`) is 5.8 or later, where syncfs returns writeback errors. */
function reportsWritebackErrors(kernel: string): boolean {
  const [major = 0, minor = 0] = kernel.split('.').map((part) => parseInt(part, 10));
  return major > 5 || (major === 5 && minor >= 8);
}

function describe(err: unknown): NonNullable<WorkerReply['error']> {
  const error = err as NodeJS.ErrnoException & { storeFull?: boolean };
  return { message: error.message ?? String(err), code: error.code, errno: error.errno, syscall: error.syscall, storeFull: error.storeFull === true };
}
