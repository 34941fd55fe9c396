// The object write worker's thread (object-write-worker.ts starts it): writes a batch of
// verified objects — one message per batch instead of five thread-pool round trips per object on
// the agent's event loop.
import crypto, { createHash } from 'node:crypto';
import { closeSync, fchmodSync, fdatasync, linkSync, mkdirSync, openSync, renameSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { UnnamedFiles } from '../../protocol/runtime/unnamed-file.js';
import { endRequested } from '../../protocol/runtime/worker-end.js';
import { writeFullySync } from './full-write.js';

/** A batch of objects, as parallel arrays (cheap to pass between threads): object i's bytes are `lengths[i]` long. */
export interface WriteBatch {
  id: number;
  /**
   * The objects' sha256s, hex, one after another (64 characters each): each object's bytes are
   * checked against its own here, before any of them is written (`CHECKSUM_MISMATCH` otherwise).
   */
  sha256s: string;
  /** Final names. */
  paths: string[];
  /**
   * Per object, '' or a file of a tree being built (`.staging`, never served before its switch)
   * that is to hold the same inode: linked from the object once it is named, on this thread
   * rather than the event loop.
   */
  files: string[];
  modes: number[];
  /** False when `open` already gives the file its mode (the umask leaves it whole): no fchmod. */
  chmods: boolean[];
  lengths: number[];
  /** The objects' bytes, one after another from its start (it may be longer): given back with the reply, for the next batch. */
  data: ArrayBuffer;
}

/** Why one object was not placed: an errno code (ENOSPC, EACCES, ...) or CHECKSUM_MISMATCH, and its message. */
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
  /** The batch's `data`, its bytes no longer needed here. */
  data: ArrayBuffer;
}

/** Shard directories this thread made or found. */
const shards = new Set<string>();
/** Temp names: unique to this thread (a random tag) and to the object (a counter). */
const tag = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
let made = 0;

/** sha256 of bytes in memory, hex: one call, no Hash object, where Node has `crypto.hash` (20.12+). */
const sha256Hex: (data: Buffer) => string = typeof crypto.hash === 'function' ? (data) => crypto.hash('sha256', data, 'hex') : (data) => createHash('sha256').update(data).digest('hex');

/** Hex digits of a sha256. */
const SHA256_HEX = 64;

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

/**
 * Gives the unnamed file `fd` its final name `path`. A name another writer gave the same object
 * meanwhile is replaced, as a rename would: the file is named in `tmpDir` first (emptied at
 * start), then renamed over it.
 */
function nameUnnamed(fd: number, path: string, tmpDir: string): void {
  try {
    unnamed.link(fd, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const temp = join(tmpDir, `${tag}-${made++}`);
    unnamed.link(fd, temp);
    try {
      renameSync(temp, path);
    } catch (renameErr) {
      removeQuietly(temp);
      throw renameErr;
    }
  }
}

/**
 * Gives the object written at `file` (a tree's, its data durable) its final name `path` as a
 * second link. A name another writer gave the same object meanwhile is replaced, as a rename
 * would: the file is linked in `tmpDir` first, then renamed over it.
 */
function nameTreeFile(file: string, path: string, tmpDir: string): void {
  try {
    linkSync(file, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const temp = join(tmpDir, `${tag}-${made++}`);
    linkSync(file, temp);
    try {
      renameSync(temp, path);
    } catch (renameErr) {
      removeQuietly(temp);
      throw renameErr;
    }
  }
}

/** Unnamed files in `tmpDir` where the system has them (unnamed-file.ts), else temp files. */
const unnamed = new UnnamedFiles();

/**
 * Writes every object of the batch in three passes: check each against its sha256, create and write it in `tmpDir`
 * (synchronous calls: metadata and page cache), then fdatasync each in the thread pool, all at
 * once — one at a time, each waited for a journal commit of its own on a busy disk — then give
 * each its final name. While a batch waits on its fdatasyncs the next one is written. A name only
 * ever holds a whole object: it is given after its file's fdatasync. The file is unnamed until
 * then where Linux allows (O_TMPFILE, then linkat: a file cut short, or one a crash interrupts,
 * goes with its descriptor), else a temp file renamed into place (one cut short is unlinked).
 * An object with a tree file (`files[i]`: a cold build's) is linked there once named. It is
 * written unnamed all the same, not at that file (one link fewer): on ext4 without a journal the
 * fdatasync of a file created under a name also writes its directory's block and inode (the
 * kernel's ext4_sync_parent), one directory of the tree per file, where an unnamed file's is
 * `tmpDir`, untouched: a cold sync of 10 000 files made ~30 000 write requests that way and
 * ~24 000 this way (the tree's directories are flushed once each when finished, as before).
 * Without unnamed files the object is written at its tree file (in `.staging`: dropped by the
 * next attempt after a crash, switched to only once durable) and linked to its final name; one
 * cut short is unlinked.
 */
export async function writeBatch(batch: WriteBatch, tmpDir: string): Promise<WriteReply> {
  const packed = Buffer.from(batch.data);
  const count = batch.paths.length;
  const failures: (WriteFailure | undefined)[] = new Array(count).fill(undefined);
  const fds: (number | undefined)[] = new Array(count).fill(undefined);
  /** Per object where the system has no unnamed files: the temp file it is written to (made only then). */
  const temps: (string | undefined)[] = new Array(count).fill(undefined);
  const newDirs: string[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const length = batch.lengths[i]!;
    const start = offset;
    offset += length;
    // Verified here rather than on the event loop, which reads the stream: bytes that are not
    // their sha256's are never written, under any name.
    const actual = sha256Hex(packed.subarray(start, start + length));
    if (!batch.sha256s.startsWith(actual, i * SHA256_HEX)) {
      const claimed = batch.sha256s.slice(i * SHA256_HEX, (i + 1) * SHA256_HEX);
      failures[i] = { code: 'CHECKSUM_MISMATCH', message: `blob ${claimed} (${length} bytes) arrived hashing to ${actual}: refused` };
      continue;
    }
    try {
      let fd = unnamed.open(tmpDir, batch.modes[i]!);
      if (fd === undefined) {
        const temp = batch.files[i] || join(tmpDir, `${tag}-${made++}`);
        temps[i] = temp;
        fd = openSync(temp, 'wx', batch.modes[i]);
      }
      fds[i] = fd;
      writeFullySync(fd, packed, temps[i] ?? tmpDir, start, length);
      if (batch.chmods[i]) fchmodSync(fd, batch.modes[i]!);
    } catch (err) {
      failures[i] = failure(err);
    }
  }
  await syncAll(fds, failures, temps);
  for (let i = 0; i < count; i++) {
    const temp = temps[i];
    if (failures[i]) {
      if (temp !== undefined) removeQuietly(temp);
      continue;
    }
    const path = batch.paths[i]!;
    const fd = fds[i]!;
    try {
      const dir = dirname(path);
      if (!shards.has(dir)) {
        const first = mkdirSync(dir, { recursive: true });
        // Every directory mkdir made is a new entry of its parent.
        if (first !== undefined) for (let step = dir; step !== dirname(first); step = dirname(step)) newDirs.push(dirname(step));
        shards.add(dir);
      }
      const file = batch.files[i];
      if (temp === undefined) {
        nameUnnamed(fd, path, tmpDir);
        if (file) linkSync(path, file);
      } else if (file) nameTreeFile(temp, path, tmpDir);
      else renameSync(temp, path);
    } catch (err) {
      failures[i] = failure(err);
      if (temp !== undefined) removeQuietly(temp);
    } finally {
      if (temp === undefined) closeSync(fd);
    }
  }
  return { id: batch.id, failures, newDirs, data: batch.data };
}

/**
 * fdatasyncs every open file of a batch in the thread pool, all at once — one at a time, each
 * waited for a journal commit of its own on a busy disk — with a callback each rather than a
 * promise and an async function each (a cold sync of 100 000 objects made 300 000 of those on
 * this thread). A temp file (no unnamed files here) is closed once synced, an unnamed one when
 * named; a failed one at once.
 */
function syncAll(fds: (number | undefined)[], failures: (WriteFailure | undefined)[], temps: (string | undefined)[]): Promise<void> {
  return new Promise((resolve) => {
    let waiting = 1;
    const settled = (): void => {
      if (--waiting === 0) resolve();
    };
    for (let i = 0; i < fds.length; i++) {
      const fd = fds[i];
      if (fd === undefined) continue;
      if (failures[i]) {
        closeSync(fd);
        continue;
      }
      waiting++;
      fdatasync(fd, (err) => {
        if (err) failures[i] = failure(err);
        if (failures[i] || temps[i] !== undefined) closeSync(fd);
        settled();
      });
    }
    settled();
  });
}

// Probed as the thread starts (libc's linkat loaded, an unnamed file made and named once), not by
// the first batch: a thread started ahead of a cold sync's first blob (`warm`) does it while the
// manifest comes. The probe's file is closed at once: unnamed, it goes with its descriptor.
const probe = unnamed.open(workerData as string, 0o600);
if (probe !== undefined) closeSync(probe);

parentPort?.on('message', (batch: WriteBatch) => {
  if (endRequested(batch, parentPort!)) return;
  void writeBatch(batch, workerData as string).then((reply) => parentPort!.postMessage(reply, [reply.data]));
});
