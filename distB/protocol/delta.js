import { canonicalLine } from './digest.js';
import { comparePathBytes } from './paths.js';
/** Entries are equal when their canonical lines are: same type, mode, size, content. */
export function diffManifests(base, target) {
    const before = new Map(base.map((entry) => [entry.path, entry]));
    const delta = { added: [], changed: [], removed: [] };
    for (const entry of target) {
        const old = before.get(entry.path);
        if (!old)
            delta.added.push(entry);
        else if (canonicalLine(old) !== canonicalLine(entry))
            delta.changed.push(entry);
        before.delete(entry.path);
    }
    delta.removed = [...before.keys()];
    return delta;
}
/**
 * The target manifest from the sorted base manifest and a delta, sorted canonically: one merge
 * pass over the base, so a one-file change on a 100 000-entry tree costs no map and no sort.
 */
export function applyDeltaToEntries(base, delta) {
    const removed = new Set(delta.removed);
    const changed = new Map(delta.changed.map((entry) => [entry.path, entry]));
    const added = [...delta.added].sort((a, b) => comparePathBytes(a.path, b.path));
    const result = [];
    let next = 0;
    for (const entry of base) {
        while (next < added.length && comparePathBytes(added[next].path, entry.path) < 0)
            result.push(added[next++]);
        if (removed.has(entry.path))
            continue;
        result.push(changed.get(entry.path) ?? entry);
    }
    while (next < added.length)
        result.push(added[next++]);
    return result;
}
/** Index of `path` in entries sorted canonically, or -1: a binary search, no map of the tree. */
export function indexOfPath(entries, path) {
    const wanted = Buffer.from(path);
    let low = 0;
    let high = entries.length - 1;
    while (low <= high) {
        const middle = (low + high) >>> 1;
        const order = Buffer.compare(Buffer.from(entries[middle].path), wanted);
        if (order === 0)
            return middle;
        if (order < 0)
            low = middle + 1;
        else
            high = middle - 1;
    }
    return -1;
}
//# sourceMappingURL=delta.js.map