import { createHash } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { link, mkdir, open, rename, rm, stat, utimes, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CodesyncError } from '../../protocol/errors.js';
import { assertSha256 } from '../../protocol/sha256.js';
import { PROBE_NAME_PREFIX } from '../../protocol/runtime/unnamed-file.js';
import { isMissing } from '../../protocol/runtime/durable-write.js';
import { mapLimit } from '../../protocol/runtime/map-limit.js';
import { Semaphore } from '../../protocol/runtime/semaphore.js';
import { BlobReader } from './blob-reader.js';
import { checkExpected, type BlobExpectation, type HashedBytes } from './hashed-bytes.js';
import { BlobWriter } from './blob-writer.js';
import { DirSyncer } from './dir-syncer.js';
import { PlacedBlobs } from './placed-blobs.js';
import { GatheredWrites } from './gathered-writes.js';
import { ingestShares } from './ingest-shares.js';
import { readExactly } from './read-exactly.js';
import { readdirOrEmpty, removeTemp, type DurableFs } from './durable-fs.js';

/** Below this many lookups `presence` stats each blob. */
const SCAN_MIN_LOOKUPS = 256;
/**
 * `presence` lists prefix directories only while the store holds at most this many blobs per
 * lookup: reading a name from a listing costs a tiny fraction of a stat's trip to the thread pool.
 */
const SCAN_NAMES_PER_LOOKUP = 64;
/** Stats or directory listings in flight at once for `presence`. */
const LOOKUP_CONCURRENCY = 64;

export interface StoredBlob {
  sha256: string;
  size: number;
  /** False when the blob was already present (the upload only refreshed its mtime). */
  created: boolean;
}

/** Bytes hashed into a temp file, not yet under their name. */
export interface StagedBlob {
  temp: string;
  sha256: string;
  size: number;
}

/** A durable staged blob for `placeAll`: a write worker's file (`ref` a number) or a temp file. */
export interface HeldBlob {
  ref: number | string;
  sha256: string;
  size: number;
  /** When it was staged (ms): one staged long ago has its GC grace restarted when placed. */
  stagedAt: number;
}

/**
 * Content-addressed blobs at `blobs/sha256/ab/<hex>`. A blob is written to a temp file while
 * the sha256 of the bytes written is computed, fdatasynced, and linked into place only when the
 * hash is right, so a blob file under its name always holds exactly those bytes. A short write or
 * a full disk (STORE_FULL) removes the temp file: nothing partial is ever put under a name.
 */
/** A prefix directory's name: the first two hex digits of its blobs' sha256. */
const PREFIX_NAME = /^[0-9a-f]{2}$/;

export class BlobStore {
  readonly root: string;
  /** Bytes of all blobs; kept current on write and delete after `init` counted them. */
  totalBytes = 0;
  /** Number of blobs, kept like `totalBytes`: decides how `presence` looks. */
  count = 0;
  /** fsyncs of blob directories after names were made in them, shared between concurrent callers. */
  private readonly dirSyncer = new DirSyncer();
  private readonly writer: BlobWriter;
  private readonly reader: BlobReader;
  /**
   * Streamed blobs being written or synced at once by every upload together: each holds a thread
   * of the pool for its writes and fdatasync; the write worker's fdatasyncs have the rest of the
   * ingest share (ingestShares), and the rest of the server (stats, downloads) needs threads too.
   */
  readonly ingestSlots: Semaphore;
  /** Prefix directories known to exist: a batch of thousands of blobs makes each once. */
  private readonly madeDirs = new Set<string>();
  private readonly placed = new PlacedBlobs();

  constructor(private readonly fs: DurableFs) {
    this.root = join(fs.dataDir, 'blobs', 'sha256');
    this.reader = new BlobReader(this.root);
    const { streamed, worker } = ingestShares();
    this.ingestSlots = new Semaphore(streamed);
    this.writer = new BlobWriter(this.root, fs.tmpDir, worker);
  }

  async init(): Promise<void> {
    // The write worker makes its unnamed files here.
    await mkdir(this.root, { recursive: true });
    for (const name of await readdirOrEmpty(this.root)) if (name.startsWith(PROBE_NAME_PREFIX)) await removeTemp(join(this.root, name));
    let total = 0;
    let count = 0;
    for await (const { size } of this.list()) {
      total += size;
      count++;
    }
    this.totalBytes = total;
    this.count = count;
  }

  path(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  /** Size of a blob, or undefined when absent (then its upload is likely: the write worker starts). */
  async size(sha256: string): Promise<number | undefined> {
    return stat(this.path(sha256)).then(
      (info) => info.size,
      (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? void this.writer.warm() : Promise.reject(err)),
    );
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.size(sha256)) !== undefined;
  }

  /**
   * Which of `wanted` are stored, in their order: all at once when every one was placed lately
   * (placed-blobs.ts). Else few are looked up one by one; many (a cold publish names every blob of
   * its tree) by listing the prefix directories they fall in, when that reads fewer names than
   * SCAN_NAMES_PER_LOOKUP per lookup it saves: one readdir instead of hundreds of stats, and no
   * error built for each blob that is missing.
   */
  async presence(wanted: readonly string[]): Promise<boolean[]> {
    if (this.placed.holdsAll(wanted)) return wanted.map(() => true);
    if (wanted.length < SCAN_MIN_LOOKUPS || this.count > wanted.length * SCAN_NAMES_PER_LOOKUP) {
      return mapLimit(wanted, LOOKUP_CONCURRENCY, (sha256) => this.has(sha256));
    }
    // Each listing is consulted for its own blobs as it arrives and dropped: at 100 000 blobs the
    // listings of every prefix held at once were ~12 MiB of names at a cold publish's peak.
    const byPrefix = new Map<string, number[]>();
    wanted.forEach((sha256, index) => {
      const prefix = sha256.slice(0, 2);
      const indexes = byPrefix.get(prefix);
      if (indexes) indexes.push(index);
      else byPrefix.set(prefix, [index]);
    });
    const present: boolean[] = new Array<boolean>(wanted.length).fill(false);
    await mapLimit([...byPrefix], LOOKUP_CONCURRENCY, async ([prefix, indexes]) => {
      const names = new Set(await readdirOrEmpty(join(this.root, prefix)));
      for (const index of indexes) present[index] = names.has(wanted[index]!);
    });
    return present;
  }

  /** Restarts a present blob's GC grace period: a client was just told it need not upload it. */
  async touch(sha256: string): Promise<boolean> {
    const now = new Date();
    try {
      await utimes(this.path(sha256), now, now);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  /**
   * Stores the bytes of `body` durably under their sha256. With `expected.sha256`, refuses
   * (CHECKSUM_MISMATCH) bytes that hash otherwise; with `expected.size`, a short or long body
   * (TRUNCATED_BODY). Nothing is kept on failure.
   */
  async write(body: AsyncIterable<Uint8Array>, expected?: BlobExpectation): Promise<StoredBlob> {
    const staged = await this.stage(body, expected);
    try {
      await staged.durable;
    } catch (err) {
      await removeTemp(staged.temp);
      throw err;
    }
    return this.place(staged);
  }

  /**
   * Writes a streamed blob to a temp file and checks it against `expected`; the blob is not under
   * its name until `place`. `body` is hashed as it goes to the file (in gathered writes); this returns once its bytes
   * are written and checked, with its fdatasync begun on the same descriptor (`durable`), so the
   * next blob's transfer overlaps it. The caller awaits `durable` and removes the temp file if it
   * fails; on any earlier failure the temp file is removed here.
   */
  async stage(body: AsyncIterable<Uint8Array>, expected: BlobExpectation | undefined): Promise<StagedBlob & { durable: Promise<void> }> {
    if (expected?.sha256 !== undefined) assertSha256(expected.sha256);
    const temp = this.fs.tempPath();
    let handle: FileHandle | undefined;
    let writes: GatheredWrites | undefined;
    try {
      handle = await open(temp, 'w', 0o644);
      const hash = createHash('sha256');
      writes = new GatheredWrites(handle);
      for await (const chunk of body) {
        // Hashed as handed to the file: nothing changes a body's chunk before it is written.
        hash.update(chunk);
        await writes.add(chunk);
      }
      const size = await writes.end();
      const sha256 = hash.digest('hex');
      checkExpected(size, sha256, expected);
      const written = handle;
      handle = undefined;
      const durable = written.datasync().finally(() => written.close());
      // Observed here so a sync failing before the caller awaits it is no unhandled rejection.
      durable.catch(() => {});
      return { temp, sha256, size, durable };
    } catch (err) {
      await writes?.settle();
      await handle?.close();
      await rm(temp, { force: true });
      throw err;
    }
  }

  /**
   * Puts a staged, fsynced blob under its name, or drops it when already stored (restarting that
   * one's GC grace). A hard link, then the temp name removed: an existing blob is found by the
   * link failing, so a new one (the usual case) costs no lookup that fails first. The blob's
   * directory is fsynced before this resolves (and the root, when the prefix directory was new).
   */
  private async place(staged: StagedBlob): Promise<StoredBlob> {
    const { temp, sha256, size } = staged;
    const target = this.path(sha256);
    try {
      // Present: its grace restarts. A blob GC set aside between the link and the touch is gone
      // (touch finds nothing), and this one is placed instead.
      if (!(await this.linkNew(temp, target)) && ((await this.touch(sha256)) || !(await this.linkNew(temp, target)))) {
        this.placed.add(sha256);
        return { sha256, size, created: false };
      }
      this.totalBytes += size;
      this.count++;
      await this.dirSyncer.sync(dirname(target));
      this.placed.add(sha256);
      return { sha256, size, created: true };
    } finally {
      await removeTemp(temp);
    }
  }

  /**
   * Stages hashed, checked bytes in a file the write worker makes, writes and syncs; returns its
   * ref at once and calls `settled(err)` once they are durable (err undefined) or failed. Wait for
   * `writeRoom` first (it bounds what is not durable yet); then `placeAll` or `dropStaged`.
   */
  stageBytesThen(bytes: HashedBytes, settled: (err: Error | undefined) => void): number {
    return this.writer.writeThen(bytes.bytes, settled);
  }

  /** Resolves once the write worker takes more blobs (see `stageBytesThen`); undefined when it takes more now. */
  writeRoom(): Promise<void> | undefined {
    return this.writer.room();
  }

  /** Lets blobs staged by `stageBytesThen` go, unplaced. */
  dropStaged(refs: number[]): Promise<void> {
    return this.writer.drop(refs);
  }

  /**
   * `place` of many staged, durable blobs (each sha256 once, each let go whatever happens), by the
   * write worker with synchronous calls (two thread-pool hops a blob cost more than the link); new
   * names are made durable before this resolves. Targets are concatenated (path.join was slow).
   */
  async placeAll(staged: readonly HeldBlob[]): Promise<StoredBlob[]> {
    if (staged.length === 0) return [];
    const created = await this.writer.place(staged.map((blob) => ({ ref: blob.ref, target: `${this.root}/${blob.sha256.slice(0, 2)}/${blob.sha256}`, stagedAt: blob.stagedAt })));
    return staged.map(({ sha256, size }, index) => {
      this.placed.add(sha256);
      if (created[index]) {
        this.totalBytes += size;
        this.count++;
      }
      return { sha256, size, created: created[index]! };
    });
  }

  /** Links `temp` as `target`; false when `target` exists. Makes the prefix directory once. */
  private async linkNew(temp: string, target: string): Promise<boolean> {
    const dir = dirname(target);
    if (!this.madeDirs.has(dir)) {
      // A new prefix directory's own name is made durable by the root's fsync.
      if (await mkdir(dir, { recursive: true })) await this.dirSyncer.sync(this.root);
      this.madeDirs.add(dir);
    }
    try {
      await link(temp, target);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  }

  /** Ends the write and read workers (server close). */
  async close(): Promise<void> {
    await Promise.all([this.writer.close(), this.reader.close()]);
  }

  /**
   * The tar entries (header, bytes, padding: protocol/blob-tar-header.ts) of small blobs, read together on a
   * read worker; fails when one is missing or not of its listed size.
   */
  readEntries(blobs: readonly { sha256: string; size: number }[]): Promise<Buffer> {
    for (const { sha256 } of blobs) assertSha256(sha256);
    return this.reader.read(blobs);
  }

  /** A blob of `size` bytes read whole (a small one); BLOB_NOT_FOUND when it is not stored. */
  async read(sha256: string, size: number): Promise<Buffer> {
    const handle = await open(this.path(sha256), 'r').catch((err: unknown) => {
      throw isMissing(err) ? new CodesyncError('BLOB_NOT_FOUND', `blob ${sha256} is not stored`) : err;
    });
    try {
      return await readExactly(handle, size, `blob ${sha256}`);
    } finally {
      await handle.close();
    }
  }

  open(sha256: string, range?: { start: number; end: number }): ReadStream {
    return createReadStream(this.path(sha256), range ? { start: range.start, end: range.end } : {});
  }

  /** Reads a whole blob and checks its hash; for consistency checks. */
  async verify(sha256: string): Promise<boolean> {
    const hash = createHash('sha256');
    try {
      for await (const chunk of this.open(sha256) as AsyncIterable<Buffer>) hash.update(chunk);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
    return hash.digest('hex') === sha256;
  }

  /**
   * Deletes a blob garbage collection found unreferenced, unless it was stored or touched after
   * `cutoffMs` (an upload or a publish check meanwhile: a publish may be about to reference it).
   * The blob is first renamed aside, then its mtime read there: an upload of the same bytes that
   * lands meanwhile either touched the blob before (its mtime is seen, and it is put back) or
   * finds it gone and places its own copy (see `place`). Returns the bytes freed.
   */
  async deleteUnlessTouched(sha256: string, cutoffMs: number): Promise<{ deleted: boolean; size: number }> {
    const target = this.path(sha256);
    const aside = this.fs.tempPath();
    try {
      await rename(target, aside);
    } catch (err) {
      if (isMissing(err)) return { deleted: false, size: 0 };
      throw err;
    }
    this.placed.forget(sha256);
    const { size, mtimeMs } = await stat(aside);
    const kept = mtimeMs > cutoffMs;
    if (kept) {
      try {
        await link(aside, target);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        // An upload placed (and counted) the blob again meanwhile: this copy is a spare.
        this.uncount(size);
      }
    } else {
      this.uncount(size);
    }
    await removeTemp(aside);
    return { deleted: !kept, size };
  }

  private uncount(size: number): void {
    this.totalBytes -= size;
    this.count--;
  }

  /**
   * The prefix directories under the root (`ab`); any other name there is no blob's, such as the
   * unnamed-file probe a crash left (removed by `init`).
   */
  async prefixes(): Promise<string[]> {
    return (await readdirOrEmpty(this.root)).filter((name) => PREFIX_NAME.test(name));
  }

  /** Every stored blob with its size and mtime. */
  async *list(): AsyncGenerator<{ sha256: string; size: number; mtimeMs: number }> {
    for (const prefix of await this.prefixes()) {
      for (const name of await readdirOrEmpty(join(this.root, prefix))) {
        try {
          const info = await stat(join(this.root, prefix, name));
          yield { sha256: name, size: info.size, mtimeMs: info.mtimeMs };
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        }
      }
    }
  }
}
