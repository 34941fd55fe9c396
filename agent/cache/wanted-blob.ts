import type { ManifestEntry } from '../../protocol/manifest.js';

/** What the cache needs to know about one blob before it stores it. */
export interface WantedBlob {
  sha256: string;
  size: number;
  /** Every mode some entry of the release gives this content: one object each. */
  modes: number[];
}

/** Files a delta writes, grouped by content: one cache object per (sha256, mode). */
export function blobsOf(entries: Iterable<ManifestEntry>): WantedBlob[] {
  const blobs = new Map<string, WantedBlob>();
  for (const entry of entries) {
    if (entry.type !== 'file') continue;
    const blob = blobs.get(entry.sha256);
    if (!blob) blobs.set(entry.sha256, { sha256: entry.sha256, size: entry.size, modes: [entry.mode] });
    else if (!blob.modes.includes(entry.mode)) blob.modes.push(entry.mode);
  }
  return [...blobs.values()];
}
