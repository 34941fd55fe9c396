import { CompactManifest } from '../../protocol/compact-manifest.js';
import type { ManifestDelta } from '../../protocol/delta.js';
import { CodesyncError } from '../../protocol/errors.js';
import { LIMITS } from '../../protocol/limits.js';
import { validateEntry, validateManifest, type ManifestRules } from '../../protocol/manifest.js';
import { assertEntryPath, parentsOf } from '../../protocol/paths.js';

/** A release as the agent will build it: the full manifest and the delta from its base. */
export interface CheckedTarget {
  /** Sorted canonically; passed every rule a publish passes. */
  manifest: CompactManifest;
  delta: ManifestDelta;
}

/**
 * Turns a server's delta body into the release the agent would build and checks it before any
 * file is touched: each element on its own, the delta against the base it names (a path can
 * only be removed or changed if the base has it, only added if it has not), then the whole
 * target manifest with the same validation as a publish. Per-entry checks alone miss what only
 * the whole shows: a base symlink with a delta file under it, a link chain leaving the tree.
 * `rules` are the app's (external symlinks only when it allows them).
 *
 * A delta of files only (added, changed or removed, none turning into or from another type)
 * changes no directory and no symlink, so where every link resolves stays as it was in the base:
 * its paths are checked against the target (nothing beneath a file or a symlink, no file above
 * other entries) by lookups, in proportion to the delta. That holds when the base passed the
 * same rules: `baseChecked` says it did (checked by this agent under rules as strict), or the
 * rules allow external links, or the target has no symlink. Anything else is checked whole.
 */
export function checkDeltaTarget(base: CompactManifest, body: unknown, rules: ManifestRules = {}, baseChecked = false): CheckedTarget {
  if (typeof body !== 'object' || body === null) throw invalidDelta('the delta is not a JSON object');
  const { added, changed, removed } = body as Record<string, unknown>;
  if (!Array.isArray(added) || !Array.isArray(changed) || !Array.isArray(removed)) throw invalidDelta('added, changed and removed must be arrays');
  const delta: ManifestDelta = { added: added.map(validateEntry), changed: changed.map(validateEntry), removed: [] };
  for (const path of removed) {
    assertEntryPath(path);
    delta.removed.push(path);
  }
  const manifest = base.applyDelta(delta);
  if (manifest.length > LIMITS.maxEntries) {
    throw new CodesyncError('MANIFEST_TOO_LARGE', `manifest has ${manifest.length} entries, more than the limit of ${LIMITS.maxEntries}`);
  }
  const filesOnly = filesOnlyDelta(base, delta);
  if (filesOnly && (baseChecked || rules.externalSymlinks === true || manifest.count('symlink') === 0)) {
    for (const entry of delta.added) checkPlace(manifest, entry.path);
    return { manifest, delta };
  }
  return { manifest: CompactManifest.fromSorted(validateManifest(manifest.toEntries(), rules)), delta };
}

/** The entries of a full manifest body, checked as a publish would be. */
export function checkFullTarget(entries: unknown, rules: ManifestRules = {}): CheckedTarget {
  const checked = validateManifest(entries, rules);
  return { manifest: CompactManifest.fromSorted(checked), delta: { added: checked, changed: [], removed: [] } };
}

/** True when the delta adds, changes and removes files only, and changes files into files. */
function filesOnlyDelta(base: CompactManifest, delta: ManifestDelta): boolean {
  if (!delta.added.every((entry) => entry.type === 'file') || !delta.changed.every((entry) => entry.type === 'file')) return false;
  for (const path of [...delta.removed, ...delta.changed.map((entry) => entry.path)]) if (base.entry(base.indexOf(path)).type !== 'file') return false;
  return true;
}

/** A file added at `path` lies under directories only and above nothing (PathTree's rules, by lookup). */
function checkPlace(target: CompactManifest, path: string): void {
  for (const parent of parentsOf(path)) {
    const index = target.indexOf(parent);
    if (index < 0) continue;
    const kind = target.entry(index).type;
    if (kind !== 'dir') throw new CodesyncError('PATH_CONFLICT', `path ${JSON.stringify(path)} lies under ${JSON.stringify(parent)}, which is a ${kind}`);
  }
  if (target.hasDescendants(path)) throw new CodesyncError('PATH_CONFLICT', `path ${JSON.stringify(path)} is a file, but other entries lie under it`);
}

function invalidDelta(message: string): CodesyncError {
  return new CodesyncError('INVALID_DELTA', `manifest delta refused: ${message}`);
}
