import { posix } from 'node:path';
import type { ApiClient } from '../../protocol/client/api-client.js';
import type { StreamBody } from '../../protocol/client/http-transport.js';
import { CodesyncError } from '../../protocol/errors.js';
import { HeapRelease } from '../../protocol/runtime/heap-release.js';
import { BULK_BLOB_BYTES, SMALL_BLOB_BYTES, type ObjectCache } from '../cache/object-cache.js';
import type { WantedBlob } from '../cache/wanted-blob.js';
import { BodyChunks } from './body-chunks.js';
import type { PullSlotLease } from './pull-slots.js';
import { TarReader } from './tar-reader.js';

/**
 * Bytes of a tar response taken off the socket ahead of the entry being read. The reader stops
 * at entries (room for their writes); without this buffer each stop pushed back on
 * the HTTP client, whose parser, on resuming, copies all it holds into its parser memory again —
 * one pause per KiB-sized entry made a cold sync of many tiny files quadratic. With it, the
 * client pauses once per this many bytes read, and a pack holds at most this much in memory.
 * Not more: a socket chunk (64 KiB) waits here while the entries ahead of it are read, and one
 * waiting through two young-generation collections is promoted, its bytes then freed only by a
 * full collection. At 4 MiB nearly every chunk was: 100 000 tiny files left 60+ MiB of dead
 * chunks before a full collection (the agent's peak RSS).
 */
const TAR_BUFFER_BYTES = 256 * 1024;

/**
 * Tar bytes of a bulk fetch between two looks at the heap. What a cold sync of many small files
 * leaves behind while it reads — socket chunks and the bookkeeping of writes in flight, old
 * enough to be promoted — waits for a full collection V8 runs late: 100 000 tiny files (~100 MiB
 * of tar) ended their fetch with ~60 MiB of it, the agent's peak RSS. A collection when the heap
 * grew past its slack (protocol/runtime/heap-release.ts: ~10-50 ms) bounds it, a few per such
 * fetch. The memory it frees is reused by the fetch's next reads; the agent's settle trims it.
 */
const HEAP_CHECK_BYTES = 16 * 1024 * 1024;

/** From this many blobs in one response on, their writes go to the write worker (a cold sync, a big change). */
const BULK_BLOBS = 64;

/** A tar entry's header block, counted with its bytes. */
const TAR_HEADER_BYTES = 512;

/** Above this share of a release pack's bytes missing, the shared, cacheable pack is cheaper. */
const PACK_SHARE = 0.5;

export interface FetchPlan {
  app: string;
  seq: number;
  /** The seq the node holds; undefined on first install (the pack then holds every blob). */
  base: number | undefined;
  /** Blobs the node lacks. */
  wanted: WantedBlob[];
  /** Bytes of the release pack over `base`: the blobs the release adds. */
  packBytes: number;
  /**
   * The pull slot the fetch runs under (its id goes in the `x-codesync-slot` header); released
   * as soon as the last byte is read, so the next node streams while this one makes its writes
   * durable. The caller releases it again when the fetch ends (a second release is a no-op).
   */
  lease: PullSlotLease;
  signal: AbortSignal;
}

export interface FetchResult {
  /** Bytes that crossed the wire, pack bytes the node already had included. */
  bytes: number;
  files: number;
  via: 'blob' | 'fetch' | 'pack';
}

/**
 * Brings the blobs a release needs into the cache in the cheapest way: one `GET /v1/blobs/:sha`
 * for a single blob, the release pack when the node lacks most of what the release adds (every
 * node making the same step reads the same cacheable bytes), else `POST /v1/blobs:fetch` for just
 * the missing ones. Every blob is verified as it streams in.
 */
export async function fetchBlobs(client: ApiClient, cache: ObjectCache, plan: FetchPlan): Promise<FetchResult> {
  try {
    return await fetchInto(client, cache, plan);
  } catch (err) {
    await cache.discard(plan.wanted);
    throw err;
  }
}

async function fetchInto(client: ApiClient, cache: ObjectCache, plan: FetchPlan): Promise<FetchResult> {
  const transfer = { slot: plan.lease.slot, signal: plan.signal };
  // Filled in a loop: a pair array per blob first was 100 000 short-lived arrays on a cold sync.
  const wanted = new Map<string, WantedBlob>();
  for (const blob of plan.wanted) wanted.set(blob.sha256, blob);
  const missingBytes = plan.wanted.reduce((sum, blob) => sum + blob.size, 0);
  let result: FetchResult;
  if (plan.wanted.length === 1) {
    const blob = plan.wanted[0]!;
    const body = await client.blob(blob.sha256, transfer);
    const { bytes } = await cache.ingest(body, blob, plan.signal);
    wanted.delete(blob.sha256);
    result = { bytes, files: 1, via: 'blob' };
  } else if (missingBytes >= plan.packBytes * PACK_SHARE) {
    const body = await client.pack(plan.app, plan.seq, plan.base, transfer);
    result = { ...(await ingestTar(body, wanted, cache, plan.signal)), via: 'pack' };
  } else {
    const body = await client.fetchBlobs([...wanted.keys()], transfer);
    result = { ...(await ingestTar(body, wanted, cache, plan.signal)), via: 'fetch' };
  }
  // The server's part is over: its slot serves the next node while the writes settle.
  void plan.lease.release();
  if (wanted.size > 0) {
    throw new CodesyncError('SERVER_ERROR', `the server's ${result.via} response lacked ${wanted.size} blob(s), e.g. ${wanted.keys().next().value}`);
  }
  await cache.flush();
  return result;
}

/** Reads a tar of blobs named by sha256; keeps the wanted ones (removing them from `wanted`). */
async function ingestTar(body: StreamBody, wanted: Map<string, WantedBlob>, cache: ObjectCache, signal: AbortSignal): Promise<{ bytes: number; files: number }> {
  const buffered = new BodyChunks(body, TAR_BUFFER_BYTES, signal);
  const tar = new TarReader(buffered);
  let bytes = 0;
  let files = 0;
  // Objects are written while the next ones stream in; the first write that fails (a full disk)
  // stops the transfer at the next entry rather than after the last.
  let failed: { err: unknown } | undefined;
  const bulk = wanted.size >= BULK_BLOBS;
  const heap = bulk ? new HeapRelease() : undefined;
  let unchecked = 0;
  try {
    for (let entry = tar.nextHeld() ?? (await tar.next()); entry; entry = tar.nextHeld() ?? (await tar.next())) {
      if (failed) throw failed.err;
      if (bulk && cache.writeFailure !== undefined) throw cache.writeFailure;
      unchecked += entry.size + TAR_HEADER_BYTES;
      if (heap && unchecked >= HEAP_CHECK_BYTES) {
        // No malloc trim here: the fetch's next socket reads would fault its pages back in.
        heap.maybeRelease(false);
        unchecked = 0;
      }
      const slash = entry.name.lastIndexOf('/');
      const sha256 = slash === -1 ? entry.name : posix.basename(entry.name);
      // Only a name equal to a wanted blob's sha256 (checked when its manifest was) is taken.
      const blob = wanted.get(sha256);
      if (!blob || !entry.file) {
        // Skipped by the next `next()`.
        bytes += entry.size;
        continue;
      }
      // A small blob's bytes are taken whole (they are in memory already), and so is a larger
      // one of many (they go to the write worker); anything else — a large blob, or an entry of
      // another size than announced — streams and is checked.
      const whole = entry.size === blob.size && blob.size <= (bulk ? BULK_BLOB_BYTES : SMALL_BLOB_BYTES) ? (tar.bodyHeld() ?? (await tar.bodyPieces())) : undefined;
      const ingested = (bulk && whole ? cache.ingestBulkNow(whole, blob) : undefined) ?? (await cache.ingest(whole ?? tar.stream(), blob, signal, { bulk }));
      ingested.stored?.catch((err: unknown) => (failed ??= { err }));
      bytes += ingested.bytes;
      wanted.delete(sha256);
      files++;
    }
  } catch (err) {
    buffered.destroy();
    await buffered.ended.catch(() => {});
    throw err;
  }
  await buffered.ended;
  return { bytes, files };
}
