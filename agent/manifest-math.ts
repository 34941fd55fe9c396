import type { ReleaseDelta } from '../protocol/api.js';
import type { ManifestDelta } from '../protocol/delta.js';
import type { FileEntry, ManifestEntry } from '../protocol/manifest.js';
import { comparePathBytes } from '../protocol/paths.js';
import type { WantedBlob } from './object-cache.js';

/** The target manifest from the base manifest and the server's delta, sorted canonically. */
export function applyDeltaToEntries(base: readonly ManifestEntry[], delta: ReleaseDelta | ManifestDelta): ManifestEntry[] {
  const byPath = new Map(base.map((entry) => [entry.path, entry]));
  for (const path of delta.removed) byPath.delete(path);
  const upserts = [...delta.added, ...delta.changed];
  for (const entry of upserts) byPath.set(entry.path, entry);
  const entries = [...byPath.values()];
  // The base is sorted; re-sort only when the delta added paths.
  return delta.added.length > 0 ? entries.sort((a, b) => comparePathBytes(a.path, b.path)) : entries;
}

/** Files a delta writes, grouped by content: one cache object per (sha256, mode). */
export function blobsOf(entries: readonly ManifestEntry[]): WantedBlob[] {
  const blobs = new Map<string, WantedBlob>();
  for (const entry of entries) {
    if (entry.type !== 'file') continue;
    const blob = blobs.get(entry.sha256);
    if (!blob) blobs.set(entry.sha256, { sha256: entry.sha256, size: entry.size, modes: [entry.mode] });
    else if (!blob.modes.includes(entry.mode)) blob.modes.push(entry.mode);
  }
  return [...blobs.values()];
}

export function fileEntries(entries: readonly ManifestEntry[]): FileEntry[] {
  return entries.filter((entry): entry is FileEntry => entry.type === 'file');
}
