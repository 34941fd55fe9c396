import type { ManifestEntry } from './manifest.js';
import { canonicalLine } from './digest.js';

/** What turns one manifest into another: the body of `GET .../manifest?base=`. */
export interface ManifestDelta {
  added: ManifestEntry[];
  changed: ManifestEntry[];
  /** Paths present in the base and absent from the target. */
  removed: string[];
}

/** Entries are equal when their canonical lines are: same type, mode, size, content. */
export function diffManifests(base: readonly ManifestEntry[], target: readonly ManifestEntry[]): ManifestDelta {
  const before = new Map(base.map((entry) => [entry.path, entry]));
  const delta: ManifestDelta = { added: [], changed: [], removed: [] };
  for (const entry of target) {
    const old = before.get(entry.path);
    if (!old) delta.added.push(entry);
    else if (canonicalLine(old) !== canonicalLine(entry)) delta.changed.push(entry);
    before.delete(entry.path);
  }
  delta.removed = [...before.keys()];
  return delta;
}

/** The sha256s a target adds over its base: blobs a node holding the base still needs. */
export function blobsAdded(base: readonly ManifestEntry[], target: readonly ManifestEntry[]): Set<string> {
  const held = new Set<string>();
  for (const entry of base) if (entry.type === 'file') held.add(entry.sha256);
  const wanted = new Set<string>();
  for (const entry of target) if (entry.type === 'file' && !held.has(entry.sha256)) wanted.add(entry.sha256);
  return wanted;
}
