import { createHash } from 'node:crypto';
import type { ManifestDelta } from '../../protocol/delta.js';
import { canonicalLine } from '../../protocol/digest.js';
import type { ManifestEntry } from '../../protocol/manifest.js';
import { comparePathBytes } from '../../protocol/paths.js';
import type { WantedBlob } from '../cache/object-cache.js';

/**
 * The target manifest from the sorted base manifest and a delta, sorted canonically: one merge
 * pass over the base, so a one-file change on a 100 000-entry tree costs no map and no sort.
 */
export function applyDeltaToEntries(base: readonly ManifestEntry[], delta: ManifestDelta): ManifestEntry[] {
  const removed = new Set(delta.removed);
  const changed = new Map(delta.changed.map((entry) => [entry.path, entry]));
  const added = [...delta.added].sort((a, b) => comparePathBytes(a.path, b.path));
  const result: ManifestEntry[] = [];
  let next = 0;
  for (const entry of base) {
    while (next < added.length && comparePathBytes(added[next]!.path, entry.path) < 0) result.push(added[next++]!);
    if (removed.has(entry.path)) continue;
    result.push(changed.get(entry.path) ?? entry);
  }
  while (next < added.length) result.push(added[next++]!);
  return result;
}

/** `manifestDigest` for entries already in canonical order: no copy, no sort. */
export function digestOfSorted(entries: readonly ManifestEntry[]): string {
  const hash = createHash('sha256');
  for (const entry of entries) hash.update(canonicalLine(entry));
  return `sha256:${hash.digest('hex')}`;
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

/** Index of `path` in entries sorted canonically, or -1: a binary search, no map of the tree. */
export function indexOfPath(entries: readonly ManifestEntry[], path: string): number {
  const wanted = Buffer.from(path);
  let low = 0;
  let high = entries.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const order = Buffer.compare(Buffer.from(entries[middle]!.path), wanted);
    if (order === 0) return middle;
    if (order < 0) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}
