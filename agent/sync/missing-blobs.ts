import type { ManifestEntry } from '../../protocol/manifest.js';
import { mapLimit } from '../../protocol/runtime/map-limit.js';
import type { StoredManifest } from '../app-state.js';
import { blobsOf, type WantedBlob } from '../cache/wanted-blob.js';
import { fetchBlobs } from '../link/blob-fetcher.js';
import type { SyncEngineOptions } from './sync-engine.js';

/** Cache lookups in flight while a sync works out which blobs it lacks. */
const CACHE_CHECKS = 32;

/** Up to this many blobs, the cache is asked with synchronous calls (object-cache.ts `has`, `adopt`). */
const QUICK_CHECKS = 64;

/**
 * Fetches the blobs of `entries` the cache lacks, under a pull slot (docs/throttling.md);
 * returns how many. `base` is the release the sync starts from: undefined for a cold build,
 * which asks for a cold slot and never adopts a blob under another mode.
 */
export async function fetchMissingBlobs(options: Pick<SyncEngineOptions, 'layout' | 'cache' | 'client' | 'slots' | 'metrics' | 'log'>, seq: number, base: StoredManifest | undefined, entries: Iterable<ManifestEntry>, signal: AbortSignal): Promise<number> {
  const { layout, cache, client, slots, metrics } = options;
  const checkStarted = performance.now();
  const blobs = blobsOf(entries);
  // A node's first sync into an empty cache lacks every blob. Otherwise every blob is asked
  // about, many at once; a shard the cache never had answers without a call.
  const cold = base === undefined && (await cache.holdsNothing());
  // A few blobs (a one-file change) are asked about with calls on this thread, not trips to the
  // thread pool; many (a full build) with trips, the event loop free between them.
  const quick = blobs.length <= QUICK_CHECKS;
  const lacking = cold ? blobs : await mapLimit(blobs, CACHE_CHECKS, async (blob): Promise<WantedBlob | undefined> => {
    let modes: number[] | undefined;
    // A mode-only change reuses the content under its old mode; a first install has no old modes.
    for (const mode of blob.modes) if (!(await cache.has(blob.sha256, mode, blob.size, quick)) && !(base && (await cache.adopt(blob.sha256, mode, blob.size, quick)))) (modes ??= []).push(mode);
    // Lacking every mode (all of a cold sync): the blob itself, not a copy per blob.
    return modes === undefined ? undefined : modes.length === blob.modes.length ? blob : { ...blob, modes };
  });
  const wanted = lacking.filter((blob): blob is WantedBlob => blob !== undefined);
  // What the checks adopted is made durable. A cold sync checked nothing, and a flush would end
  // the write thread its sync started ahead (sync-engine.ts, prepareBulkWrites): idle, it closes.
  if (!cold) await cache.flush();
  if (wanted.length === 0) return 0;
  const bytes = wanted.reduce((sum, blob) => sum + blob.size, 0);
  const waitStarted = performance.now();
  const checkedMs = Math.round(waitStarted - checkStarted);
  const lease = await slots.acquire({ app: layout.app, bytes, cold: base === undefined, signal });
  const leased = performance.now();
  metrics.pullSlotWait.observe((leased - waitStarted) / 1000);
  try {
    const packBytes = blobs.reduce((sum, blob) => sum + blob.size, 0);
    const result = await fetchBlobs(client, cache, { app: layout.app, seq, base: base?.seq, wanted, packBytes, lease, signal });
    metrics.fetchedBytes.inc({ app: layout.app }, result.bytes);
    metrics.fetchedFiles.inc({ app: layout.app }, result.files);
    const ms = { check: checkedMs, slot: Math.round(leased - waitStarted), fetch: Math.round(performance.now() - leased) };
    options.log.debug({ seq, via: result.via, bytes: result.bytes, files: result.files, ms }, 'fetched blobs');
    return wanted.length;
  } finally {
    await lease.release();
  }
}
