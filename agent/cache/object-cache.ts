import { createHash } from 'node:crypto';
import { close, closeSync, fchmodSync, fdatasync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { chmod, copyFile, lstat, mkdir, open, readdir, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CodesyncError } from '../../protocol/errors.js';
import type { ManifestEntry } from '../../protocol/manifest.js';
import { classifyFsError, flushPaths } from './durable-fs.js';
import { fsyncPath, isMissing } from '../../protocol/runtime/durable-write.js';
import type { ObjectLayout } from './layout.js';

/** What the cache needs to know about one blob before it stores it. */
export interface WantedBlob {
  sha256: string;
  size: number;
  /** Every mode some entry of the release gives this content: one object each. */
  modes: number[];
}

/** Files a delta writes, grouped by content: one cache object per (sha256, mode). */
export function blobsOf(entries: Iterable<ManifestEntry>): WantedBlob[] {
  const blobs = new Map<string, WantedBlob>();
  for (const entry of entries) {
    if (entry.type !== 'file') continue;
    const blob = blobs.get(entry.sha256);
    if (!blob) blobs.set(entry.sha256, { sha256: entry.sha256, size: entry.size, modes: [entry.mode] });
    else if (!blob.modes.includes(entry.mode)) blob.modes.push(entry.mode);
  }
  return [...blobs.values()];
}

/**
 * Unlinked objects younger than this survive a prune: a sync fetches objects before it links
 * them, and an object a release just stopped linking may serve the next one.
 */
export const PRUNE_GRACE_MS = 10 * 60_000;

/**
 * fdatasync calls in flight while blobs stream in. The agent's thread pool should be as large
 * (UV_THREADPOOL_SIZE=64, set by the chart; docs/operations.md): with libuv's default 4 threads
 * 10 000 small files take seconds to make durable, with 64 a fraction of one.
 */
const MAX_SYNCS = 64;

/** Objects a prune checks between yields to the event loop. */
const PRUNE_CHUNK = 256;

/** Blobs up to this size are verified in memory and written in one call. */
const SMALL_BLOB_BYTES = 256 * 1024;

/** A write that stored fewer bytes than asked without an error: never taken for a whole object. */
function shortWrite(path: string, written: number, wanted: number): Error {
  return Object.assign(new Error(`short write to ${path}: ${written} of ${wanted} bytes stored`), { code: 'ENOSPC' });
}

function mismatch(blob: WantedBlob, size: number, actual: string): CodesyncError {
  return new CodesyncError('CHECKSUM_MISMATCH', `blob ${blob.sha256} (${blob.size} bytes) arrived as ${size} bytes hashing to ${actual}: refused`);
}

/**
 * The node-local content cache (docs/agent.md). Every object is verified against its sha256 while it
 * streams in and stays under a temp name until `flush` made it durable; only then is it renamed
 * into place, so an object under its final name is always whole, even after a crash.
 * Release trees hardlink these objects: an unchanged file costs no copy and no bytes.
 */
export class ObjectCache {
  readonly layout: ObjectLayout;
  /** Verified objects waiting for `flush`: temp path and final path. */
  private pending: { sha256: string; temp: string; path: string; synced: Promise<void> }[] = [];
  /** fdatasync calls in flight (each holds its file open until it is done). */
  private readonly syncing = new Set<Promise<void>>();
  private users = 0;
  /** Objects that lost a link since the last prune (paths): the next prune checks these. */
  private readonly candidates = new Set<string>();
  /** A walk of the whole cache is due (a tree went whose manifest was unknown). */
  private walkWanted = false;

  constructor(layout: ObjectLayout) {
    this.layout = layout;
  }

  /** Creates the cache directories and drops downloads a crash left behind. */
  async init(): Promise<void> {
    try {
      await rm(this.layout.tmpDir, { recursive: true, force: true });
      await mkdir(this.layout.tmpDir, { recursive: true });
    } catch (err) {
      throw classifyFsError(err, this.layout.dir);
    }
  }

  path(sha256: string, mode: number): string {
    return this.layout.objectPath(sha256, mode);
  }

  /**
   * True when the cache holds the object whole. An object of the wrong size (cut short by an
   * earlier fault, say) is dropped so the caller fetches it afresh: a release links only
   * complete objects.
   */
  async has(sha256: string, mode: number, size?: number): Promise<boolean> {
    const path = this.path(sha256, mode);
    try {
      const stats = await lstat(path);
      if (size === undefined || (stats.isFile() && stats.size === size)) return true;
      await unlink(path);
      return false;
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }

  /**
   * Streams one blob into a temp file, hashing as it goes; refuses it (CHECKSUM_MISMATCH) when
   * its bytes do not match. The object takes its final name in `flush()`, which must run before
   * any tree links it. Returns the bytes read.
   */
  async ingest(source: AsyncIterable<Buffer>, blob: WantedBlob, signal: AbortSignal): Promise<number> {
    const [firstMode = 0o644, ...otherModes] = blob.modes;
    const temp = this.tempPath(blob.sha256);
    try {
      const { size, synced } = blob.size <= SMALL_BLOB_BYTES ? await this.writeSmall(source, blob, temp, firstMode) : await this.writeLarge(source, blob, temp, firstMode, signal);
      this.pending.push({ sha256: blob.sha256, temp, path: this.path(blob.sha256, firstMode), synced });
      // Hardlinks share one mode: each further mode needs its own copy.
      for (const mode of otherModes) await this.stageCopy(blob.sha256, temp, this.path(blob.sha256, mode), mode, blob.size);
      return size;
    } catch (err) {
      await unlink(temp).catch(() => {});
      throw classifyFsError(err, this.layout.dir);
    }
  }

  /**
   * Small blobs are gathered in memory and written with one synchronous call: a code tree is
   * mostly files of a few KiB, and four thread-pool round trips per file would cost more than
   * the bytes. Each call blocks the loop for microseconds only. Its fdatasync runs in the thread
   * pool while the next blobs stream in, so durability overlaps the transfer.
   */
  private async writeSmall(source: AsyncIterable<Buffer>, blob: WantedBlob, temp: string, mode: number): Promise<{ size: number; synced: Promise<void> }> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of source) {
      size += chunk.length;
      if (size > blob.size) throw mismatch(blob, size, 'more bytes than announced');
      chunks.push(chunk);
    }
    const data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    const actual = createHash('sha256').update(data).digest('hex');
    if (actual !== blob.sha256 || size !== blob.size) throw mismatch(blob, size, actual);
    const fd = openSync(temp, 'w', mode);
    try {
      // Counted as written: a short write (a filling disk) must never pass for a whole object.
      let written = 0;
      while (written < data.length) {
        const count = writeSync(fd, data, written, data.length - written);
        if (count === 0) throw shortWrite(temp, written, data.length);
        written += count;
      }
      fchmodSync(fd, mode);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    await this.syncSlot();
    return { size, synced: this.syncAndClose(fd) };
  }

  /** Waits while MAX_SYNCS are in flight: a fast transfer is held back by the disk, not queued without bound. */
  private async syncSlot(): Promise<void> {
    while (this.syncing.size >= MAX_SYNCS) await Promise.race(this.syncing);
  }

  /**
   * Starts fdatasync of an open file in the thread pool and closes the file after; the promise
   * settles when the data is on disk (`flush` awaits it).
   */
  private syncAndClose(fd: number): Promise<void> {
    const synced = new Promise<void>((resolve, reject) => {
      fdatasync(fd, (syncErr) => close(fd, (closeErr) => (syncErr || closeErr ? reject(syncErr ?? closeErr) : resolve())));
    });
    const settled = synced.then(
      () => {},
      () => {},
    );
    this.syncing.add(settled);
    void settled.then(() => this.syncing.delete(settled));
    // Awaited by flush (or discard); until then a failure must not count as unhandled.
    synced.catch(() => {});
    return synced;
  }

  /**
   * Streams a large blob to disk, stopping the moment it passes its declared size. What is
   * hashed is what was written, byte for byte, so a short write can never match the sha256.
   */
  private async writeLarge(source: AsyncIterable<Buffer>, blob: WantedBlob, temp: string, mode: number, signal: AbortSignal): Promise<{ size: number; synced: Promise<void> }> {
    const hash = createHash('sha256');
    let size = 0;
    const handle = await open(temp, 'w', mode);
    try {
      for await (const chunk of source) {
        signal.throwIfAborted();
        if (size + chunk.length > blob.size) throw mismatch(blob, size + chunk.length, 'more bytes than announced');
        let offset = 0;
        while (offset < chunk.length) {
          const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
          if (bytesWritten === 0) throw shortWrite(temp, size, blob.size);
          hash.update(chunk.subarray(offset, offset + bytesWritten));
          offset += bytesWritten;
          size += bytesWritten;
        }
      }
      const actual = hash.digest('hex');
      if (actual !== blob.sha256 || size !== blob.size) throw mismatch(blob, size, actual);
      const onDisk = (await handle.stat()).size;
      if (onDisk !== blob.size) throw shortWrite(temp, onDisk, blob.size);
      await handle.chmod(mode);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    return { size, synced: Promise.resolve() };
  }

  /**
   * Waits until every staged object is durable (their fdatasync started as each was written),
   * then gives each its final name, durably too: one fsync per cache directory touched. The cost
   * is bounded by what this sync wrote, never by other writers on the filesystem.
   */
  async flush(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    if (pending.length === 0) return;
    try {
      for (const { synced } of pending) await synced;
      // Renames are metadata only: synchronous calls beat thousands of thread-pool round trips.
      const dirs = new Set<string>();
      for (const { temp, path } of pending) {
        const dir = dirname(path);
        if (!dirs.has(dir)) mkdirSync(dir, { recursive: true });
        dirs.add(dir);
        renameSync(temp, path);
      }
      await flushPaths([...dirs]);
    } catch (err) {
      await Promise.all(pending.map(({ temp }) => unlink(temp).catch(() => {})));
      throw classifyFsError(err, this.layout.dir);
    }
  }

  /**
   * Drops the staged objects of `blobs` not yet flushed: after a failed fetch, so a full disk
   * gets its space back and no temp file outlives the sync that wrote it. Objects other syncs
   * staged (the cache is shared by every app) stay.
   */
  async discard(blobs: ReadonlySet<string>): Promise<void> {
    const dropped = this.pending.filter(({ sha256 }) => blobs.has(sha256));
    this.pending = this.pending.filter(({ sha256 }) => !blobs.has(sha256));
    await Promise.all(dropped.map(({ temp, synced }) => synced.then(() => unlink(temp)).catch(() => unlink(temp)).catch(() => {})));
  }

  /**
   * Stages the object for (sha256, mode) from one the cache holds under another mode: a
   * mode-only change costs a local copy, not a fetch. Returns false when there is none.
   */
  async adopt(sha256: string, mode: number, size: number): Promise<boolean> {
    const path = this.path(sha256, mode);
    let names: string[];
    try {
      names = await readdir(dirname(path));
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
    const source = names.find((name) => name === sha256 || name.startsWith(`${sha256}.`));
    if (!source) return false;
    const stats = await lstat(join(dirname(path), source));
    if (!stats.isFile() || stats.size !== size) return false;
    await this.stageCopy(sha256, join(dirname(path), source), path, mode, size);
    return true;
  }

  /** Drops an object (a damaged one, say) so the next sync fetches it afresh. */
  async remove(sha256: string, mode: number): Promise<void> {
    await unlink(this.path(sha256, mode)).catch((err: unknown) => {
      if (!isMissing(err)) throw err;
    });
  }

  /** Runs `work` (fetch and link) with pruning held off, so no fresh object goes before it is linked. */
  async use<T>(work: () => Promise<T>): Promise<T> {
    this.users++;
    try {
      return await work();
    } finally {
      this.users--;
    }
  }

  /**
   * Notes objects that just lost a link (a release tree changed or removed with its manifest
   * known), so the next prune checks only those: pruning costs what changed, not the cache's
   * size. `'all'` asks for one walk of the whole cache (a tree removed without its manifest).
   */
  noteUnlinked(objects: Iterable<{ sha256: string; mode: number }> | 'all'): void {
    if (objects === 'all') {
      this.walkWanted = true;
      return;
    }
    for (const { sha256, mode } of objects) this.candidates.add(this.path(sha256, mode));
  }

  /** Noted objects still waiting out the grace period (or a sync in progress). */
  get pendingPrune(): number {
    return this.candidates.size + (this.walkWanted ? 1 : 0);
  }

  /**
   * Removes objects no retained release links any more (link count 1) and older than the grace
   * period: the noted ones, or every object when a walk was asked for. Runs after a switch, never
   * between an event and a switch; stops when a sync starts and yields between chunks, so it
   * never holds the loop or the disk for long. What is not yet due stays noted for the next pass.
   */
  async prune(signal: AbortSignal): Promise<number> {
    const cutoff = Date.now() - PRUNE_GRACE_MS;
    let removed = 0;
    let checked = 0;
    for (const path of [...this.candidates]) {
      signal.throwIfAborted();
      if (this.users > 0) return removed;
      const stats = await lstat(path).catch(() => undefined);
      if (stats?.isFile() && stats.nlink === 1) {
        if (stats.ctimeMs >= cutoff) continue;
        await unlink(path).catch(() => {});
        removed++;
      }
      this.candidates.delete(path);
      if (++checked % PRUNE_CHUNK === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    if (this.walkWanted) {
      this.walkWanted = false;
      const walked = await this.pruneWalk(cutoff, signal).catch((err: unknown) => {
        this.walkWanted = true;
        throw err;
      });
      if (walked === undefined) this.walkWanted = true;
      else removed += walked;
    }
    return removed;
  }

  /** One walk of the whole cache; undefined when a sync started meanwhile (asked again later). */
  private async pruneWalk(cutoff: number, signal: AbortSignal): Promise<number | undefined> {
    const root = join(this.layout.dir, 'sha256');
    let removed = 0;
    let young = false;
    let shards: string[];
    try {
      // Real directories only: a symlinked shard would let prune unlink files elsewhere.
      shards = (await readdir(root, { withFileTypes: true })).filter((dirent) => dirent.isDirectory()).map((dirent) => dirent.name);
    } catch (err) {
      if (isMissing(err)) return 0;
      throw err;
    }
    for (const shard of shards) {
      signal.throwIfAborted();
      if (this.users > 0) return undefined;
      const dir = join(root, shard);
      for (const name of await readdir(dir)) {
        const path = join(dir, name);
        const stats = await lstat(path).catch(() => undefined);
        if (!stats?.isFile() || stats.nlink !== 1) continue;
        if (stats.ctimeMs >= cutoff) young = true;
        else if (this.users === 0) {
          await unlink(path).catch(() => {});
          removed++;
        }
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Unlinked but within the grace period: a later walk takes them.
    if (young) this.walkWanted = true;
    return removed;
  }

  private tempPath(sha256: string): string {
    return join(this.layout.tmpDir, `${sha256}-${process.pid}-${Math.random().toString(36).slice(2)}`);
  }

  private async stageCopy(sha256: string, source: string, path: string, mode: number, size: number): Promise<void> {
    const copy = this.tempPath(basename(path));
    try {
      await copyFile(source, copy);
      await chmod(copy, mode);
      const copied = (await lstat(copy)).size;
      if (copied !== size) throw shortWrite(copy, copied, size);
      await fsyncPath(copy);
    } catch (err) {
      // A copy cut short by a full disk must not survive under any name.
      await unlink(copy).catch(() => {});
      throw classifyFsError(err, this.layout.dir);
    }
    this.pending.push({ sha256, temp: copy, path, synced: Promise.resolve() });
  }
}
