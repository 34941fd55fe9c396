import { checkCompactTree } from './compact-manifest-builder.js';
import { CodesyncError } from './errors.js';
import { LIMITS } from './limits.js';
import { parentsOf } from './paths.js';
/**
 * Applies `delta` (its entries each already validated alone: validateEntry, assertEntryPath) to
 * `base` and checks the tree it makes, for the agent about to build a release and the server
 * about to publish one. The delta must fit its base (a path removed or changed only if the base
 * has it, added only if it has not: INVALID_DELTA otherwise), and the tree stays within
 * LIMITS.maxEntries.
 *
 * A delta of files only (added, changed or removed, none turning into or from another type)
 * changes no directory and no symlink, so where every link resolves stays as it was in the base:
 * its added paths are checked against the target (nothing beneath a file or a symlink, no file
 * above other entries) by lookups, in proportion to the delta. That holds when the base passed
 * the same rules: `baseChecked` says it did (checked under rules as strict), or the rules allow
 * external links, or the target has no symlink. Anything else is validated whole.
 */
export function applyCheckedDelta(base, delta, rules = {}, baseChecked = false) {
    const manifest = base.applyDelta(delta);
    if (manifest.length > LIMITS.maxEntries) {
        throw new CodesyncError('MANIFEST_TOO_LARGE', `manifest has ${manifest.length} entries, more than the limit of ${LIMITS.maxEntries}`);
    }
    if (filesOnlyDelta(base, delta) && (baseChecked || rules.externalSymlinks === true || manifest.count('symlink') === 0)) {
        for (const entry of delta.added)
            checkPlace(manifest, entry.path);
        return { manifest, checkedWhole: false };
    }
    checkCompactTree(manifest, rules);
    return { manifest, checkedWhole: true };
}
/** True when the delta adds, changes and removes files only, and changes files into files. */
function filesOnlyDelta(base, delta) {
    if (!delta.added.every((entry) => entry.type === 'file') || !delta.changed.every((entry) => entry.type === 'file'))
        return false;
    for (const path of [...delta.removed, ...delta.changed.map((entry) => entry.path)])
        if (base.entry(base.indexOf(path)).type !== 'file')
            return false;
    return true;
}
/** A file added at `path` lies under directories only and above nothing (PathTree's rules, by lookup). */
function checkPlace(target, path) {
    for (const parent of parentsOf(path)) {
        const index = target.indexOf(parent);
        if (index < 0)
            continue;
        const kind = target.entry(index).type;
        if (kind !== 'dir')
            throw new CodesyncError('PATH_CONFLICT', `path ${JSON.stringify(path)} lies under ${JSON.stringify(parent)}, which is a ${kind}`);
    }
    if (target.hasDescendants(path))
        throw new CodesyncError('PATH_CONFLICT', `path ${JSON.stringify(path)} is a file, but other entries lie under it`);
}
//# sourceMappingURL=delta-target.js.map