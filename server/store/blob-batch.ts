import { open, rm, utimes } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BlobExpectation, BlobStore, StagedBlob, StoredBlob } from './blob-store.js';
import { mapLimit } from '../../protocol/runtime/map-limit.js';

/**
 * fdatasyncs in flight for one batch: the disk syncs many files far faster together than one by
 * one, and the process's thread pool (bin/codesync sizes it) runs them side by side.
 */
const SYNC_IN_FLIGHT = 64;
/** Renames (and GC-grace refreshes) in flight at once at commit. */
const PLACE_CONCURRENCY = 64;
/**
 * A blob staged longer ago than this has its mtime set to now at commit, so a slow upload's early
 * blobs still get their full GC grace; younger ones are left alone (one syscall less per blob).
 */
const REFRESH_AFTER_MS = 60_000;

interface PendingBlob {
  staged: StagedBlob;
  /** The temp file's fdatasync, started as soon as its bytes were written. */
  synced: Promise<void>;
  stagedAt: number;
}

/**
 * Many blobs stored all or nothing (a tar publish, `POST /v1/blobs`, an import). Each is hashed
 * into a temp file as it streams in, and its fdatasync starts at once, overlapping the transfer
 * of the next ones (at most SYNC_IN_FLIGHT at a time: a huge tar never holds unbounded work).
 * `commit` waits for those syncs, renames the blobs under their names in parallel and fsyncs each
 * directory touched once (shared with concurrent commits). Until `commit` nothing is visible, so
 * `abort` leaves the store as it was.
 */
export class BlobBatch {
  private pending: PendingBlob[] = [];
  private readonly syncing = new Set<Promise<void>>();

  constructor(private readonly blobs: BlobStore) {}

  async add(body: AsyncIterable<Uint8Array>, expected?: BlobExpectation): Promise<StagedBlob> {
    const staged = await this.blobs.stage(body, expected, false);
    while (this.syncing.size >= SYNC_IN_FLIGHT) await Promise.race(this.syncing);
    const synced = datasync(staged.temp);
    const settled: Promise<void> = synced.then(
      () => void this.syncing.delete(settled),
      () => void this.syncing.delete(settled),
    );
    this.syncing.add(settled);
    this.pending.push({ staged, synced, stagedAt: Date.now() });
    return staged;
  }

  async commit(): Promise<StoredBlob[]> {
    const pending = this.pending;
    this.pending = [];
    try {
      await Promise.all(pending.map((blob) => blob.synced));
      const now = Date.now();
      const stale = pending.filter((blob) => now - blob.stagedAt > REFRESH_AFTER_MS);
      await mapLimit(stale, PLACE_CONCURRENCY, (blob) => utimes(blob.staged.temp, now / 1000, now / 1000));
      // One blob may come twice in a batch: placed once, the copies dropped.
      const unique = new Map<string, StagedBlob>();
      const copies: StagedBlob[] = [];
      for (const { staged } of pending) {
        if (unique.has(staged.sha256)) copies.push(staged);
        else unique.set(staged.sha256, staged);
      }
      await Promise.all(copies.map((copy) => rm(copy.temp, { force: true })));
      const placed = await mapLimit([...unique.values()], PLACE_CONCURRENCY, (blob) => this.blobs.place(blob, false));
      const dirs = new Set(placed.filter((blob) => blob.created).map((blob) => dirname(this.blobs.path(blob.sha256))));
      await Promise.all([...dirs].map((dir) => this.blobs.syncDir(dir)));
      const first = new Map(placed.map((blob) => [blob.sha256, blob]));
      return pending.map(({ staged }) => {
        const blob = first.get(staged.sha256)!;
        if (blob.created) first.set(staged.sha256, { ...blob, created: false });
        return blob;
      });
    } catch (err) {
      await removeTemps(pending);
      throw err;
    }
  }

  async abort(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    await removeTemps(pending);
  }
}

async function datasync(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

async function removeTemps(pending: readonly PendingBlob[]): Promise<void> {
  await Promise.allSettled(pending.map((blob) => blob.synced));
  await Promise.all(pending.map((blob) => rm(blob.staged.temp, { force: true })));
}
