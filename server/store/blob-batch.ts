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

/** Blobs `commit` places at once: bounds the lists made for the write worker and what it answers. */
const PLACE_CHUNK = 4096;

/**
 * Many blobs stored all or nothing (a tar publish, `POST /v1/blobs`, an import). Each is hashed
 * into a temp file and its fdatasync starts as soon as its bytes are written; small ones are
 * written in the background while the next arrive. All uploads of the server share one bound on
 * blobs being written or synced (`BlobStore.ingestSlots`), so a huge tar never holds unbounded
 * work and the thread pool keeps threads for everything else. `commit` waits for those syncs,
 * renames the blobs under their names in parallel and fsyncs each directory touched once (shared
 * with concurrent commits). Until `commit` nothing is visible, so `abort` leaves the store as it was.
 *
 * A staged blob is kept as its temp name, sha256, size and time in arrays, no promise or object
 * each once it is durable: a cold publish of 100 000 files holds 100 000 of them until `commit`.
 */
export class BlobBatch {
  private temps: (string | undefined)[] = [];
  private sha256s: string[] = [];
  private sizes: number[] = [];
  private stagedAts: number[] = [];
  /** Writes not yet durable. */
  private readonly inFlight = new Set<Promise<void>>();
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
    const index = this.temps.length;
    this.temps.push(undefined);
    this.sha256s.push('');
    this.sizes.push(0);
    this.stagedAts.push(Date.now());
    const done = this.blobs
      .stage(source, expected)
      .then(async (staged) => {
        try {
          await staged.durable;
        } catch (err) {
          await removeTemp(staged.temp);
          throw err;
        }
        this.temps[index] = staged.temp;
        this.sha256s[index] = staged.sha256;
        this.sizes[index] = staged.size;
        return staged;
      })
      .finally(() => this.blobs.ingestSlots.release());
    const settled = done.then(
      () => {},
      (err: unknown) => void (this.failure ??= { err }),
    );
    this.inFlight.add(settled);
    void settled.finally(() => this.inFlight.delete(settled));
    if (!(source instanceof HashedBytes)) {
      const staged = await done;
      return { sha256: staged.sha256, size: staged.size };
    }
    return { sha256: source.sha256, size: source.bytes.length };
  }

  async commit(): Promise<StoredBlob[]> {
    try {
      await this.settle();
      if (this.failure) throw this.failure.err;
      const count = this.temps.length;
      const now = Date.now();
      const stale: number[] = [];
      for (let i = 0; i < count; i++) if (now - this.stagedAts[i]! > REFRESH_AFTER_MS) stale.push(i);
      await mapLimit(stale, PLACE_CONCURRENCY, (i) => utimes(this.temps[i]!, now / 1000, now / 1000));
      const stored: StoredBlob[] = new Array(count);
      const dirs = new Set<string>();
      // One blob may come twice in a batch: placed once, the copies dropped.
      const first = new Map<string, number>();
      for (let from = 0; from < count; from += PLACE_CHUNK) {
        const chunk: StagedBlob[] = [];
        const chunkIndexes: number[] = [];
        const copies: number[] = [];
        for (let i = from; i < Math.min(from + PLACE_CHUNK, count); i++) {
          if (first.has(this.sha256s[i]!)) copies.push(i);
          else {
            first.set(this.sha256s[i]!, i);
            chunk.push({ temp: this.temps[i]!, sha256: this.sha256s[i]!, size: this.sizes[i]! });
            chunkIndexes.push(i);
          }
        }
        await Promise.all(copies.map((i) => removeTemp(this.temps[i]!)));
        const placed = await this.blobs.placeAll(chunk);
        placed.forEach((blob, k) => {
          stored[chunkIndexes[k]!] = blob;
          this.temps[chunkIndexes[k]!] = undefined;
          if (blob.created) dirs.add(dirname(this.blobs.path(blob.sha256)));
        });
        for (const i of copies) {
          stored[i] = { sha256: this.sha256s[i]!, size: this.sizes[i]!, created: false };
          this.temps[i] = undefined;
        }
      }
      await Promise.all([...dirs].map((dir) => this.blobs.syncDir(dir)));
      this.reset();
      return stored;
    } catch (err) {
      await this.abort();
      throw err;
    }
  }

  async abort(): Promise<void> {
    await this.settle();
    const temps = this.temps;
    this.reset();
    // Failed writes removed their own temp file; placed ones are no temp any more.
    await Promise.all(temps.flatMap((temp) => (temp === undefined ? [] : [removeTemp(temp)])));
  }

  /** Waits until no write of the batch is under way. */
  private async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  private reset(): void {
    this.temps = [];
    this.sha256s = [];
    this.sizes = [];
    this.stagedAts = [];
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
