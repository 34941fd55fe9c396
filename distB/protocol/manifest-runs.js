/** Most lines `sameLines` compares at once while they keep matching. */
const SAME_LINES_BLOCK = 64;
function linesOf(manifest) {
    const { lineStarts, pathStarts } = manifest.offsets();
    return { text: manifest.text, lineStarts, pathStarts, length: manifest.length };
}
/**
 * What turns `from` into `to`: one merge over both, comparing paths and lines as bytes; only the
 * entries that differ are decoded.
 */
export function manifestDiff(from, to) {
    const a = linesOf(from);
    const b = linesOf(to);
    const delta = { added: [], changed: [], removed: [] };
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
        const same = sameLines(a, i, b, j);
        if (same > 0) {
            i += same;
            j += same;
            continue;
        }
        const order = i >= a.length ? 1 : j >= b.length ? -1 : comparePaths(a, i, b, j);
        if (order < 0)
            delta.removed.push(from.path(i++));
        else if (order > 0)
            delta.added.push(to.entry(j++));
        else {
            if (!sameLine(a, i, b, j))
                delta.changed.push(to.entry(j));
            i++;
            j++;
        }
    }
    return delta;
}
/**
 * The runs of lines `to` shares with `from`, in order, as triples [index in from, index in to,
 * count]: `manifestDiff`'s merge, so a one-file change of a 100 000-entry tree costs a few
 * thousand block compares.
 */
export function sharedRuns(from, to) {
    const a = linesOf(from);
    const b = linesOf(to);
    const runs = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
        const same = sameLines(a, i, b, j);
        if (same > 0) {
            runs.push(i, j, same);
            i += same;
            j += same;
            continue;
        }
        const order = comparePaths(a, i, b, j);
        if (order <= 0)
            i++;
        if (order >= 0)
            j++;
    }
    return runs;
}
/** The order of line i's path in `a` against line j's in `b`, as bytes. */
function comparePaths(a, i, b, j) {
    return a.text.compare(b.text, b.pathStarts[j], b.lineStarts[j + 1] - 1, a.pathStarts[i], a.lineStarts[i + 1] - 1);
}
/**
 * How many lines from i in `a` and j in `b` are byte for byte the same, compared in blocks that
 * double while they match (up to SAME_LINES_BLOCK) and halve where one differs: a one-file change
 * of a 100 000-entry tree makes a few thousand compares instead of two per line, and a line that
 * differs costs one. A path may hold a newline, so equal bytes alone do not make equal lines: the
 * lines' and paths' offsets must match too.
 */
function sameLines(a, i, b, j) {
    let same = 0;
    let block = 1;
    for (;;) {
        const count = Math.min(block, a.length - i - same, b.length - j - same);
        if (count <= 0)
            return same;
        const from = a.lineStarts[i + same];
        const to = a.lineStarts[i + same + count];
        const otherFrom = b.lineStarts[j + same];
        const otherTo = b.lineStarts[j + same + count];
        if (to - from === otherTo - otherFrom && sameOffsets(a, i + same, b, j + same, count) && a.text.compare(b.text, otherFrom, otherTo, from, to) === 0) {
            same += count;
            block = Math.min(block * 2, SAME_LINES_BLOCK);
        }
        else if (count === 1) {
            return same;
        }
        else {
            block = count >> 1;
        }
    }
}
/** Whether `count` lines from i and j start their lines and paths at the same relative offsets. */
function sameOffsets(a, i, b, j, count) {
    const shift = b.lineStarts[j] - a.lineStarts[i];
    for (let k = 0; k < count; k++) {
        if (b.lineStarts[j + k + 1] - a.lineStarts[i + k + 1] !== shift || b.pathStarts[j + k] - a.pathStarts[i + k] !== shift)
            return false;
    }
    return true;
}
function sameLine(a, i, b, j) {
    return a.text.compare(b.text, b.lineStarts[j], b.lineStarts[j + 1], a.lineStarts[i], a.lineStarts[i + 1]) === 0;
}
//# sourceMappingURL=manifest-runs.js.map