import crypto, { createHash } from 'node:crypto';
import { fstat, lstatSync, readdirSync } from 'node:fs';
import { lstat, mkdir, readdir, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { CodesyncError } from '../../protocol/errors.js';
import { isMissing } from '../../protocol/runtime/durable-write.js';
import { classifyFsError } from './durable-fs.js';
import type { ObjectLayout } from './layout.js';
import { ObjectWriter, type StagedObject } from './object-writer.js';
import { shortWrite, writeFully } from './full-write.js';
import { PruneQueue } from './prune-queue.js';
import { raiseTieringBudget } from '../../protocol/runtime/tiering-budget.js';
import { heldSize, PLAIN_MODES, type WantedBlob } from './wanted-blob.js';

export { PRUNE_GRACE_MS } from './prune-queue.js';

const fstatFd = promisify(fstat);

export interface IngestOptions {
  /** One blob of many (a cold sync): a small one's writes go to the write worker. Default false. */
  bulk?: boolean | undefined;
}

/**
 * Told of one object placed: its content's sha256, its path (`ObjectCache.path`) and, when it was
 * written at a file a `FileClaimer` gave, that file.
 */
export type PlacedListener = (sha256: string, path: string, file?: string) => void;

/**
 * A tree being built that takes an object's first file itself (`ObjectCache.claimFiles`):
 * `claim` returns a file of that tree still to be made for (sha256, mode), or undefined, and
 * counts it as given away; the object is then written there and named from it, and the
 * `PlacedListener`s hear of it with that file.
 */
export type FileClaimer = (sha256: string, mode: number) => string | undefined;

/** Blobs up to this size are verified in memory and written in one call. */
export const SMALL_BLOB_BYTES = 256 * 1024;

/**
 * A blob of many (a cold sync) up to this size is taken whole in memory too and goes to the write
 * worker with the small ones. Streamed instead, each of its chunks was a thread-pool write the
 * reader awaited, so the tar stood still while a few large blobs (two thirds of a code tree's
 * bytes) crossed to the disk; the writer's byte bound (8 MiB) still holds it back.
 */
export const BULK_BLOB_BYTES = 4 * 1024 * 1024;

/** A large blob streamed to disk is written in pieces of at least this much: fewer thread-pool trips, each awaited. */
const LARGE_WRITE_BYTES = 1024 * 1024;

function mismatch(blob: WantedBlob, size: number, actual: string): CodesyncError {
  return new CodesyncError('CHECKSUM_MISMATCH', `blob ${blob.sha256} (${blob.size} bytes) arrived as ${size} bytes hashing to ${actual}: refused`);
}

/** One blob taken in: its bytes were read and verified; `stored` settles when it is durable. */
interface Ingested {
  bytes: number;
  /**
   * Rejects (DISK_FULL, say) when a write failed; `flush` throws the same. Undefined for a bulk
   * write (no promise per object): its failure shows in `writeFailure`.
   */
  stored?: Promise<void>;
}

/** sha256 of bytes in memory, hex: one call, no Hash object, where Node has `crypto.hash` (20.12+). */
const sha256Hex: (data: Buffer) => string = typeof crypto.hash === 'function' ? (data) => crypto.hash('sha256', data, 'hex') : (data) => createHash('sha256').update(data).digest('hex');

/**
 * The node-local content cache (docs/agent.md). Every object is verified against its sha256 while it
 * streams in and is written under a temp name; it takes its final name only once its data is on
 * disk (object-writer.ts), so an object under its final name is always whole, even after a crash.
 * Release trees hardlink these objects: an unchanged file costs no copy and no bytes. What may be
 * dropped again is the prune queue's (prune-queue.ts).
 */
export class ObjectCache {
  readonly layout: ObjectLayout;
  private readonly writer: ObjectWriter;
  private readonly pruneQueue: PruneQueue;
  private users = 0;
  /** Shard directories found the first time the cache was asked about an object (mayHold). */
  private shards: Promise<Set<string>> | undefined;
  /** Who hears of objects as they are placed (`watchPlaced`). */
  private readonly placedListeners = new Set<PlacedListener>();
  /** Trees that take an object's first file (`claimFiles`). */
  private readonly claimers = new Set<FileClaimer>();

  constructor(layout: ObjectLayout) {
    // A process with a cache syncs, the first time cold: less of V8's optimizing work then (protocol/runtime/tiering-budget.ts).
    raiseTieringBudget();
    this.layout = layout;
    this.writer = new ObjectWriter(layout.dir, layout.tmpDir, (sha256, path, file) => {
      for (const listener of this.placedListeners) listener(sha256, path, file);
    });
    this.pruneQueue = new PruneQueue(join(layout.dir, 'sha256'), () => this.users > 0);
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
   * Calls `listener` with each object written from now on, once it is whole and verified under
   * its final name (its data durable; its name only after `flush`), so a tree can link it while
   * the rest still streams in. Returns the call that stops it.
   */
  watchPlaced(listener: PlacedListener): () => void {
    this.placedListeners.add(listener);
    return () => this.placedListeners.delete(listener);
  }

  /**
   * Lets `claimer` (a tree built during a cold fetch, with `watchPlaced`) give each bulk-written
   * object a file of its tree to be written at: the object then gets its final name from that
   * file. Returns the call that stops it.
   */
  claimFiles(claimer: FileClaimer): () => void {
    this.claimers.add(claimer);
    return () => this.claimers.delete(claimer);
  }

  /** A file some tree claims for the object (sha256, mode), or ''. */
  private claim(sha256: string, mode: number): string {
    for (const claimer of this.claimers) {
      const file = claimer(sha256, mode);
      if (file !== undefined) return file;
    }
    return '';
  }

  /**
   * True when the cache holds the object whole. An object of the wrong size (cut short by an
   * earlier fault, say) is dropped so the caller fetches it afresh: a release links only
   * complete objects. `quick`: the lstat on this thread (see `adopt`).
   */
  async has(sha256: string, mode: number, size?: number, quick = false): Promise<boolean> {
    const path = this.path(sha256, mode);
    if (!(await this.mayHold(dirname(path)))) return false;
    try {
      const stats = quick ? lstatSync(path) : await lstat(path);
      if (size === undefined || (stats.isFile() && stats.size === size)) return true;
      await unlink(path);
      return false;
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }

  /**
   * False when the shard directory `dir` cannot hold an object: it was not there when the cache
   * was first asked and this process has not made it since. A cold sync asks about every blob of
   * the tree; with this it costs one directory listing, not an lstat per blob. (A shard another
   * process made since reads as empty: its blob is fetched again, never taken unverified.)
   */
  private async mayHold(dir: string): Promise<boolean> {
    if (this.writer.made(dir)) return true;
    return (await this.knownShards()).has(basename(dir));
  }

  /**
   * True when the cache holds no object: no shard directory when it was first asked, none made
   * since. A node's first sync then lacks every blob and need not ask about each.
   */
  async holdsNothing(): Promise<boolean> {
    if (this.writer.madeAny) return false;
    return (await this.knownShards()).size === 0;
  }

  /** The shard directories there were when the cache was first asked about its objects. */
  private knownShards(): Promise<Set<string>> {
    return (this.shards ??= readdir(join(this.layout.dir, 'sha256')).then(
      (names) => new Set(names),
      (err: unknown) => {
        if (isMissing(err)) return new Set<string>();
        this.shards = undefined;
        throw err;
      },
    ));
  }

  /**
   * Reads one blob (streamed, or its bytes already in memory), hashing as it goes, and refuses it (CHECKSUM_MISMATCH) when its bytes do not
   * match; its write to disk goes on in the thread pool while the caller reads the next one
   * (bounded in count and bytes: a fast stream waits for the disk). `bulk` (one of many) sends a
   * small blob's writes to the write worker (object-write-worker.ts). `flush()` must run before
   * any tree links the object.
   */
  async ingest(source: AsyncIterable<Buffer> | Buffer | readonly Buffer[], blob: WantedBlob, signal: AbortSignal, options: IngestOptions = {}): Promise<Ingested> {
    // Bytes in memory: one buffer, or the pieces of one (views of the chunks they arrived in).
    const held = Buffer.isBuffer(source) ? [source] : Array.isArray(source) ? (source as readonly Buffer[]) : undefined;
    if (options.bulk && held && blob.size <= BULK_BLOB_BYTES) return this.ingestBulk(held, blob);
    const [firstMode = 0o644, ...otherModes] = blob.modes;
    const path = this.path(blob.sha256, firstMode);
    let first: StagedObject;
    try {
      const chunks = held ?? (source as AsyncIterable<Buffer>);
      first = blob.size <= SMALL_BLOB_BYTES ? await this.ingestSmall(chunks, blob, path, firstMode) : await this.ingestLarge(chunks, blob, path, firstMode, signal);
    } catch (err) {
      throw classifyFsError(err, this.layout.dir);
    }
    const copies = otherModes.map((mode) => this.writer.copy(blob.sha256, path, this.path(blob.sha256, mode), mode, blob.size, first.stored));
    return { bytes: blob.size, stored: Promise.all([first, ...copies].map(({ stored }) => stored)).then(() => {}) };
  }

  /**
   * Small blobs are gathered in memory, checked, and written with one call: a code tree is mostly
   * files of a few KiB. The write, its fdatasync and rename run in the thread pool while the next
   * blobs stream in, so durability overlaps the transfer and the event loop never waits on disk.
   */
  private async ingestSmall(source: AsyncIterable<Buffer> | Iterable<Buffer>, blob: WantedBlob, path: string, mode: number): Promise<StagedObject> {
    await this.writer.room(blob.size);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of source) {
      size += chunk.length;
      if (size > blob.size) throw mismatch(blob, size, 'more bytes than announced');
      chunks.push(chunk);
    }
    const data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    const actual = sha256Hex(data);
    if (actual !== blob.sha256 || size !== blob.size) throw mismatch(blob, size, actual);
    return this.writer.write(blob.sha256, data, path, mode);
  }

  /**
   * A small blob of many (a cold sync), its bytes in memory: queued on the write worker once per
   * mode (the bytes are at hand: no copy from the first object), without a promise per object.
   * The worker checks them against the sha256 before it writes them (CHECKSUM_MISMATCH shows in
   * `writeFailure` and is thrown by `flush`): hashing a tree's bytes on this thread made it the
   * bottleneck of a cold sync of large files.
   */
  private async ingestBulk(pieces: readonly Buffer[], blob: WantedBlob): Promise<Ingested> {
    const size = heldSize(pieces, blob);
    for (const mode of blob.modes.length > 0 ? blob.modes : PLAIN_MODES) {
      if (!this.writer.fits(size, true)) await this.writer.room(size, true);
      this.writer.writeBulk(blob.sha256, pieces, size, this.path(blob.sha256, mode), mode, this.claim(blob.sha256, mode));
    }
    return { bytes: blob.size };
  }

  /**
   * `ingest` of a small blob of many, its bytes in memory, made now when the write worker has room
   * for it under one mode (else undefined: `ingest` it, which waits for room). No promise nor async
   * frame per blob: a cold sync of 10 000 blobs made ~30 000, ~1/10 of the event loop's allocations.
   */
  ingestBulkNow(pieces: readonly Buffer[], blob: WantedBlob): Ingested | undefined {
    if (blob.size > BULK_BLOB_BYTES || blob.modes.length > 1 || !this.writer.fits(blob.size, true)) return undefined;
    const size = heldSize(pieces, blob);
    const mode = blob.modes[0] ?? 0o644;
    this.writer.writeBulk(blob.sha256, pieces, size, this.path(blob.sha256, mode), mode, this.claim(blob.sha256, mode));
    return { bytes: blob.size };
  }

  /** The first write that failed since the last flush, classified (DISK_FULL, say); `flush` throws it. */
  get writeFailure(): unknown {
    return this.writer.failure;
  }

  /**
   * Streams a large blob to disk in pieces of LARGE_WRITE_BYTES, stopping the moment it passes its declared size. What is
   * hashed is what was written, byte for byte, so a short write can never match the sha256.
   * Its fdatasync and rename go on in the thread pool.
   */
  private async ingestLarge(source: AsyncIterable<Buffer> | Iterable<Buffer>, blob: WantedBlob, path: string, mode: number, signal: AbortSignal): Promise<StagedObject> {
    await this.writer.room(0);
    const file = await this.writer.create(blob.sha256, mode);
    try {
      const hash = createHash('sha256');
      let size = 0;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const write = async (): Promise<void> => {
        const data = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
        await writeFully(file.fd, data, file.temp);
      };
      for await (const chunk of source) {
        signal.throwIfAborted();
        if (size + chunk.length > blob.size) throw mismatch(blob, size + chunk.length, 'more bytes than announced');
        hash.update(chunk);
        size += chunk.length;
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes >= LARGE_WRITE_BYTES) await write();
      }
      if (pendingBytes > 0) await write();
      const actual = hash.digest('hex');
      if (actual !== blob.sha256 || size !== blob.size) throw mismatch(blob, size, actual);
      const onDisk = (await fstatFd(file.fd)).size;
      if (onDisk !== blob.size) throw shortWrite(file.temp, onDisk, blob.size);
    } catch (err) {
      await this.writer.abandon(file.fd, file.temp);
      throw err;
    }
    return this.writer.finish(blob.sha256, file, path, mode);
  }

  /** A sync is about to fetch a whole tree (bulk writes): their thread starts now, not at the first blob. */
  prepareBulkWrites(): void {
    this.writer.warmBulk();
  }

  /**
   * Waits until every staged object is durable under its final name, and the names too: one
   * fsync per cache directory touched. The cost is bounded by what this sync wrote, never by
   * other writers on the filesystem.
   */
  async flush(): Promise<void> {
    await this.writer.flush();
  }

  /**
   * After a failed fetch: lets the staged objects of `blobs` settle, so no temp file outlives the
   * sync that wrote it. Those already whole under their final name stay (the retry needs them)
   * and are noted for the prune, which drops them after its grace period if no release links
   * them. Objects other syncs staged (the cache is shared by every app) stay.
   */
  async discard(blobs: readonly WantedBlob[]): Promise<void> {
    await this.writer.discard(new Set(blobs.map(({ sha256 }) => sha256)));
    // Every object they could have become: the prune passes over those never placed.
    this.pruneQueue.note(blobs.flatMap(({ sha256, modes }) => modes.map((mode) => this.path(sha256, mode))));
  }

  /**
   * Stages the object for (sha256, mode) from one the cache holds under another mode: a
   * mode-only change costs a local copy, not a fetch. Returns false when there is none. `quick`
   * (a sync asking about a few blobs): the listing and lstat on this thread, ~10 µs of CPU each
   * against ~40 for a thread-pool trip.
   */
  async adopt(sha256: string, mode: number, size: number, quick = false): Promise<boolean> {
    const path = this.path(sha256, mode);
    let names: string[];
    try {
      names = quick ? readdirSync(dirname(path)) : await readdir(dirname(path));
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
    const source = names.find((name) => name === sha256 || name.startsWith(`${sha256}.`));
    if (!source) return false;
    const stats = quick ? lstatSync(join(dirname(path), source)) : await lstat(join(dirname(path), source));
    if (!stats.isFile() || stats.size !== size) return false;
    await this.writer.copy(sha256, join(dirname(path), source), path, mode, size).stored;
    return true;
  }

  /** Drops an object (a damaged one, say) so the next sync fetches it afresh. */
  async remove(sha256: string, mode: number): Promise<void> {
    await unlink(this.path(sha256, mode)).catch((err: unknown) => {
      if (!isMissing(err)) throw err;
    });
  }

  /** True while some `use` runs (a sync fetching and linking). */
  get inUse(): boolean {
    return this.users > 0;
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
    this.pruneQueue.note(objects === 'all' ? 'all' : Array.from(objects, ({ sha256, mode }) => this.path(sha256, mode)));
  }

  /** Noted objects still waiting out the grace period (or a sync in progress). */
  get pendingPrune(): number {
    return this.pruneQueue.pending;
  }

  /** Removes noted objects no release links any more, past their grace period (prune-queue.ts). */
  async prune(signal: AbortSignal): Promise<number> {
    return this.pruneQueue.prune(signal);
  }
}
