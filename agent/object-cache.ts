import { createHash } from 'node:crypto';
import { copyFile, lstat, mkdir, open, readdir, rename, rm, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CodesyncError } from '../protocol/errors.js';
import { classifyFsError, fsyncDir, isMissing, tempSibling } from './durable-fs.js';
import type { ObjectLayout } from './layout.js';

/** What the cache needs to know about one blob before it stores it. */
export interface WantedBlob {
  sha256: string;
  size: number;
  /** Every mode some entry of the release gives this content: one object each. */
  modes: number[];
}

/**
 * Unlinked objects younger than this survive a prune: a sync fetches objects before it links
 * them, and an object a release just stopped linking may serve the next one.
 */
const PRUNE_GRACE_MS = 10 * 60_000;

/** Objects whose data is being flushed in the background while the download goes on. */
const FLUSH_CONCURRENCY = 32;

/**
 * The node-local content cache (DESIGN §5). Every object is verified against its sha256 while it
 * streams in, flushed, then renamed into place, so an object under its final name is always whole.
 * Release trees hardlink these objects: an unchanged file costs no copy and no bytes.
 */
export class ObjectCache {
  readonly layout: ObjectLayout;
  private readonly flushing = new Set<Promise<void>>();
  private flushError: unknown;
  private readonly dirtyDirs = new Set<string>();
  private users = 0;

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

  async has(sha256: string, mode: number): Promise<boolean> {
    try {
      await lstat(this.path(sha256, mode));
      return true;
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }

  /**
   * Streams one blob into the cache, hashing as it goes; refuses it (CHECKSUM_MISMATCH) when its
   * bytes do not match. The flush and rename finish in the background: call `flush()` before any
   * tree links the object. Returns the bytes read.
   */
  async ingest(source: AsyncIterable<Buffer>, blob: WantedBlob, signal: AbortSignal): Promise<number> {
    if (this.flushError) throw this.flushError;
    // Keeps open files bounded when a pack holds thousands of small blobs.
    while (this.flushing.size >= FLUSH_CONCURRENCY) await Promise.race(this.flushing);
    const firstMode = blob.modes[0] ?? 0o644;
    const temp = join(this.layout.tmpDir, `${blob.sha256}-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const hash = createHash('sha256');
    let size = 0;
    let handle: FileHandle | undefined;
    try {
      handle = await open(temp, 'w', firstMode);
      for await (const chunk of source) {
        signal.throwIfAborted();
        hash.update(chunk);
        size += chunk.length;
        await handle.write(chunk);
      }
      const actual = hash.digest('hex');
      if (actual !== blob.sha256 || size !== blob.size) {
        throw new CodesyncError('CHECKSUM_MISMATCH', `blob ${blob.sha256} arrived as ${size} bytes hashing to ${actual}: refused`);
      }
      await handle.chmod(firstMode);
    } catch (err) {
      await handle?.close().catch(() => {});
      await unlink(temp).catch(() => {});
      throw classifyFsError(err, this.layout.dir);
    }
    this.track(this.commit(handle, temp, blob));
    return size;
  }

  /** Waits until every ingested object is durable under its final name. */
  async flush(): Promise<void> {
    while (this.flushing.size > 0) await Promise.allSettled([...this.flushing]);
    // One fsync per shard directory covers every rename into it.
    const dirs = [...this.dirtyDirs];
    this.dirtyDirs.clear();
    try {
      await Promise.all(dirs.map(fsyncDir));
    } catch (err) {
      this.flushError ??= classifyFsError(err, this.layout.dir);
    }
    const err = this.flushError;
    this.flushError = undefined;
    if (err) throw err;
  }

  /**
   * Makes the object for (sha256, mode) from one the cache holds under another mode: a mode-only
   * change costs a local copy, not a fetch. Returns false when no such object exists.
   */
  async adopt(sha256: string, mode: number): Promise<boolean> {
    const dir = dirname(this.path(sha256, mode));
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
    const source = names.find((name) => name === sha256 || name.startsWith(`${sha256}.`));
    if (!source) return false;
    const copy = join(this.layout.tmpDir, `${sha256}-${process.pid}-${Math.random().toString(36).slice(2)}`);
    await copyFile(join(dir, source), copy);
    const handle = await open(copy, 'r+');
    try {
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await this.place(copy, this.path(sha256, mode));
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
   * Removes objects no retained release links any more (link count 1). Walks the whole cache,
   * so it runs after a switch, never between an event and a switch; stops when a sync starts.
   */
  async prune(signal: AbortSignal): Promise<number> {
    const cutoff = Date.now() - PRUNE_GRACE_MS;
    const root = join(this.layout.dir, 'sha256');
    let removed = 0;
    let shards: string[];
    try {
      shards = await readdir(root);
    } catch (err) {
      if (isMissing(err)) return 0;
      throw err;
    }
    for (const shard of shards) {
      signal.throwIfAborted();
      if (this.users > 0) break;
      const dir = join(root, shard);
      for (const name of await readdir(dir)) {
        const path = join(dir, name);
        const stats = await lstat(path).catch(() => undefined);
        if (stats?.isFile() && stats.nlink === 1 && stats.ctimeMs < cutoff && this.users === 0) {
          await unlink(path).catch(() => {});
          removed++;
        }
      }
    }
    return removed;
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((err: unknown) => {
      this.flushError ??= classifyFsError(err, this.layout.dir);
    });
    this.flushing.add(tracked);
    void tracked.finally(() => this.flushing.delete(tracked));
  }

  private async commit(handle: FileHandle, temp: string, blob: WantedBlob): Promise<void> {
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    const [firstMode = 0o644, ...otherModes] = blob.modes;
    for (const mode of otherModes) {
      const copy = tempSibling(temp);
      await copyFile(temp, copy);
      const copyHandle = await open(copy, 'r+');
      try {
        await copyHandle.chmod(mode);
        await copyHandle.sync();
      } finally {
        await copyHandle.close();
      }
      await this.place(copy, this.path(blob.sha256, mode));
    }
    await this.place(temp, this.path(blob.sha256, firstMode));
  }

  private async place(temp: string, path: string): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    await rename(temp, path);
    this.dirtyDirs.add(dirname(path));
  }
}
