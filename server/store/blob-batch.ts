import { utimes } from 'node:fs/promises';
import { dirname } from 'node:path';
import { HashedBytes, removeTemp, type BlobExpectation, type BlobStore, type StagedBlob, type StoredBlob } from './blob-store.js';
import { mapLimit } from '../../protocol/runtime/map-limit.js';

/** GC-grace refreshes in flight at once at commit. */
const PLACE_CONCURRENCY = 64;
/**
 * A blob staged longer ago than this has its mtime set to now at commit, so a slow upload's early
 * blobs still get their full GC grace; younger ones are left alone (one syscall less per blob).
 */
const REFRESH_AFTER_MS = 60_000;
/**
 * Bodies up to this size are read into memory and written in the background, so the next tar
 * entry is read while they are written; bigger ones stream to their file before the next is read.
 * With the store's bound on blobs in flight, at most that many times this is held at once.
 */
const BUFFER_BYTES = 256 * 1024;

interface PendingBlob {
  /** Settles once the blob is written, checked and durable (or its temp file gone on failure). */
  done: Promise<StagedBlob>;
  stagedAt: number;
}

/**
 * Many blobs stored all or nothing (a tar publish, `POST /v1/blobs`, an import). Each is hashed
 * into a temp file and its fdatasync starts as soon as its bytes are written; small ones are
 * written in the background while the next arrive. All uploads of the server share one bound on
 * blobs being written or synced (`BlobStore.ingestSlots`), so a huge tar never holds unbounded
 * work and the thread pool keeps threads for everything else. `commit` waits for those syncs,
 * renames the blobs under their names in parallel and fsyncs each directory touched once (shared
 * with concurrent commits). Until `commit` nothing is visible, so `abort` leaves the store as it was.
 */
export class BlobBatch {
  private pending: PendingBlob[] = [];
  /** The first failure of a background write, thrown by the next `add` and by `commit`. */
  private failure: { err: unknown } | undefined;

  constructor(private readonly blobs: BlobStore) {}

  /**
   * Stages one blob; `body` is consumed before this resolves. Returns its sha256 and size (checked
   * against `expected` already); its write may still be under way until `commit`.
   */
  async add(body: AsyncIterable<Uint8Array>, expected?: BlobExpectation): Promise<{ sha256: string; size: number }> {
    if (this.failure) throw this.failure.err;
    const small = expected?.size !== undefined && expected.size <= BUFFER_BYTES;
    const source = small ? new HashedBytes(await collect(body, expected.size!)) : body;
    if (source instanceof HashedBytes) source.check(expected);
    await this.blobs.ingestSlots.acquire();
    const stage = this.blobs.stage(source, expected).then(async (staged) => {
      try {
        await staged.durable;
        return staged;
      } catch (err) {
        await removeTemp(staged.temp);
        throw err;
      }
    });
    const done = stage.finally(() => this.blobs.ingestSlots.release());
    this.pending.push({ done, stagedAt: Date.now() });
    if (!(source instanceof HashedBytes)) {
      const staged = await done;
      return { sha256: staged.sha256, size: staged.size };
    }
    done.catch((err: unknown) => (this.failure ??= { err }));
    return { sha256: source.sha256, size: source.bytes.length };
  }

  async commit(): Promise<StoredBlob[]> {
    const pending = this.pending;
    this.pending = [];
    try {
      const settled = await Promise.allSettled(pending.map((blob) => blob.done));
      const failed = settled.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
      const staged = settled.map((result) => (result as PromiseFulfilledResult<StagedBlob>).value);
      const now = Date.now();
      const stale = staged.filter((_, index) => now - pending[index]!.stagedAt > REFRESH_AFTER_MS);
      await mapLimit(stale, PLACE_CONCURRENCY, (blob) => utimes(blob.temp, now / 1000, now / 1000));
      // One blob may come twice in a batch: placed once, the copies dropped.
      const unique = new Map<string, StagedBlob>();
      const copies: StagedBlob[] = [];
      for (const blob of staged) {
        if (unique.has(blob.sha256)) copies.push(blob);
        else unique.set(blob.sha256, blob);
      }
      await Promise.all(copies.map((copy) => removeTemp(copy.temp)));
      const placed = await this.blobs.placeAll([...unique.values()]);
      const dirs = new Set(placed.filter((blob) => blob.created).map((blob) => dirname(this.blobs.path(blob.sha256))));
      await Promise.all([...dirs].map((dir) => this.blobs.syncDir(dir)));
      const first = new Map(placed.map((blob) => [blob.sha256, blob]));
      return staged.map((blob) => {
        const stored = first.get(blob.sha256)!;
        if (stored.created) first.set(blob.sha256, { ...stored, created: false });
        return stored;
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

/**
 * Reads a body of `size` bytes into one buffer. Of a longer body only the chunks that begin
 * within `size` are kept: enough for the size check to refuse it, never unbounded memory.
 */
async function collect(body: AsyncIterable<Uint8Array>, size: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of body) {
    if (length <= size) chunks.push(chunk);
    length += chunk.length;
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

async function removeTemps(pending: readonly PendingBlob[]): Promise<void> {
  const settled = await Promise.allSettled(pending.map((blob) => blob.done));
  // Failed ones removed their own temp file.
  await Promise.all(settled.flatMap((result) => (result.status === 'fulfilled' ? [removeTemp(result.value.temp)] : [])));
}
