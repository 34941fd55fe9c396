import { createHash } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, unlink, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CodesyncError } from '../../protocol/errors.js';
import { assertSha256 } from '../../protocol/sha256.js';
import { DirSyncer } from './dir-syncer.js';
import { readdirOrEmpty, type DurableFs } from './durable-fs.js';

export interface StoredBlob {
  sha256: string;
  size: number;
  /** False when the blob was already present (the upload only refreshed its mtime). */
  created: boolean;
}

export interface BlobExpectation {
  sha256?: string;
  size?: number;
}

/** Bytes hashed into a temp file, not yet under their name. */
export interface StagedBlob {
  temp: string;
  sha256: string;
  size: number;
}

/**
 * Content-addressed blobs at `blobs/sha256/ab/<hex>`. A blob is written to a temp file while
 * the sha256 of the bytes written is computed, fsynced, and renamed into place only when the hash
 * is right, so a blob file under its name always holds exactly those bytes. A short write or a
 * full disk (STORE_FULL) removes the temp file: nothing partial is ever renamed.
 */
export class BlobStore {
  readonly root: string;
  /** Bytes of all blobs; kept current on write and delete after `init` counted them. */
  totalBytes = 0;
  private readonly dirSyncer = new DirSyncer();
  /** Prefix directories known to exist: a batch of thousands of blobs makes each once. */
  private readonly madeDirs = new Set<string>();

  constructor(private readonly fs: DurableFs) {
    this.root = join(fs.dataDir, 'blobs', 'sha256');
  }

  async init(): Promise<void> {
    let total = 0;
    for await (const { size } of this.list()) total += size;
    this.totalBytes = total;
  }

  path(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  /** Size of a blob, or undefined when absent. */
  async size(sha256: string): Promise<number | undefined> {
    try {
      return (await stat(this.path(sha256))).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.size(sha256)) !== undefined;
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
    return this.place(await this.stage(body, expected, true), true);
  }

  /**
   * Hashes `body` into a temp file (fsynced when `sync`) and checks it against `expected`; the
   * blob is not under its name until `place`. The temp file is removed on failure.
   */
  async stage(body: AsyncIterable<Uint8Array>, expected: BlobExpectation | undefined, sync: boolean): Promise<StagedBlob> {
    if (expected?.sha256 !== undefined) assertSha256(expected.sha256);
    const temp = this.fs.tempPath();
    const hash = createHash('sha256');
    let size = 0;
    try {
      const handle = await open(temp, 'w', 0o644);
      try {
        for await (const chunk of body) {
          const { bytesWritten } = await handle.write(chunk, 0, chunk.length, null);
          // What reached the file is counted and hashed, not what arrived.
          hash.update(chunk.subarray(0, bytesWritten));
          size += bytesWritten;
          if (bytesWritten !== chunk.length) throw new CodesyncError('STORE_FULL', `short write: the disk took ${bytesWritten} of ${chunk.length} bytes`);
        }
        if (sync) await handle.sync();
      } finally {
        await handle.close();
      }
      const sha256 = hash.digest('hex');
      if (expected?.size !== undefined && size !== expected.size) {
        throw new CodesyncError('TRUNCATED_BODY', `blob body has ${size} bytes, expected ${expected.size}`);
      }
      if (expected?.sha256 !== undefined && sha256 !== expected.sha256) {
        throw new CodesyncError('CHECKSUM_MISMATCH', `blob bytes hash to ${sha256}, not ${expected.sha256}`);
      }
      return { temp, sha256, size };
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  /**
   * Renames a staged, fsynced blob under its name (dropping it when already stored). Without
   * `syncDir` the caller fsyncs the blob's directory before relying on it.
   */
  async place(staged: StagedBlob, syncDir: boolean): Promise<StoredBlob> {
    const { temp, sha256, size } = staged;
    try {
      if (await this.touch(sha256)) {
        await rm(temp, { force: true });
        return { sha256, size, created: false };
      }
      if (syncDir) await this.fs.commit(temp, this.path(sha256));
      else {
        const dir = dirname(this.path(sha256));
        if (!this.madeDirs.has(dir)) {
          await mkdir(dir, { recursive: true });
          this.madeDirs.add(dir);
        }
        await rename(temp, this.path(sha256));
      }
      this.totalBytes += size;
      return { sha256, size, created: true };
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  /** fsyncs a blob directory after renames into it, sharing the sync with concurrent callers. */
  syncDir(dir: string): Promise<void> {
    return this.dirSyncer.sync(dir);
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

  async delete(sha256: string): Promise<void> {
    const size = await this.size(sha256);
    if (size === undefined) return;
    await unlink(this.path(sha256));
    this.totalBytes -= size;
  }

  /** Every stored blob with its size and mtime. */
  async *list(): AsyncGenerator<{ sha256: string; size: number; mtimeMs: number }> {
    for (const prefix of await readdirOrEmpty(this.root)) {
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
