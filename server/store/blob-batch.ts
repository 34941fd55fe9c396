import { open, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BlobExpectation, BlobStore, StagedBlob, StoredBlob } from './blob-store.js';
import { fsyncDir } from './durable-fs.js';
import { mapLimit } from './map-limit.js';

/** fsyncs in flight at once: disks sync many files far faster together than one by one. */
const SYNC_CONCURRENCY = 32;

/**
 * Many blobs stored all or nothing (a tar publish, `POST /v1/blobs`). Each is hashed into a temp
 * file as it streams in; `commit` then fsyncs them together, renames them under their names and
 * fsyncs each directory once — instead of two fsyncs per blob in stream order. Until `commit`
 * nothing is visible, so `abort` leaves the store as it was.
 */
export class BlobBatch {
  private staged: StagedBlob[] = [];

  constructor(private readonly blobs: BlobStore) {}

  async add(body: AsyncIterable<Uint8Array>, expected?: BlobExpectation): Promise<StagedBlob> {
    const staged = await this.blobs.stage(body, expected, false);
    this.staged.push(staged);
    return staged;
  }

  async commit(): Promise<StoredBlob[]> {
    const staged = this.staged;
    this.staged = [];
    try {
      await mapLimit(staged, SYNC_CONCURRENCY, (blob) => syncAndRefresh(blob.temp));
      const stored: StoredBlob[] = [];
      for (const blob of staged) stored.push(await this.blobs.place(blob, false));
      const dirs = [...new Set(staged.map((blob) => dirname(this.blobs.path(blob.sha256))))];
      await mapLimit(dirs, SYNC_CONCURRENCY, fsyncDir);
      return stored;
    } catch (err) {
      await removeTemps(staged);
      throw err;
    }
  }

  async abort(): Promise<void> {
    const staged = this.staged;
    this.staged = [];
    await removeTemps(staged);
  }
}

/** fsyncs a file and sets its mtime to now: a slow upload's early blobs get their full GC grace. */
async function syncAndRefresh(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    const now = new Date();
    await handle.utimes(now, now);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function removeTemps(staged: readonly StagedBlob[]): Promise<void> {
  await Promise.all(staged.map((blob) => rm(blob.temp, { force: true })));
}
