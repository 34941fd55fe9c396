import { CodesyncError } from '../../protocol/errors.js';
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

/** The modes of a blob that names none: the plain one. */
export const PLAIN_MODES: readonly number[] = [0o644];

/** The size of a blob's bytes in memory; CHECKSUM_MISMATCH when it is not the announced one. */
export function heldSize(pieces: readonly Buffer[], blob: WantedBlob): number {
  let size = 0;
  for (const piece of pieces) size += piece.length;
  if (size !== blob.size) throw new CodesyncError('CHECKSUM_MISMATCH', `blob ${blob.sha256} (${blob.size} bytes) arrived as ${size} bytes: refused`);
  return size;
}
