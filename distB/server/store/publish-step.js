/**
 * The step of `target`, which `delta` (applied by CompactManifest.applyDelta, so every path it
 * removes or changes is in `base` and every path it adds or changes is in `target`) made of
 * `base`. A changed entry whose line is the base's own is no change: it stays in a run and out of
 * the delta, as manifestDiff leaves it out.
 */
export function publishStep(baseSeq, base, target, delta) {
    const gone = delta.removed.map((path) => base.indexOf(path));
    const come = delta.added.map((entry) => target.indexOf(entry.path));
    const changed = [];
    for (const entry of delta.changed) {
        const from = base.indexOf(entry.path);
        const to = target.indexOf(entry.path);
        if (sameLine(base, from, target, to))
            continue;
        gone.push(from);
        come.push(to);
        changed.push(to);
    }
    if (gone.some((index) => index < 0) || come.some((index) => index < 0))
        throw new Error('publish step: the delta does not fit its base and target');
    const byIndex = (a, b) => a - b;
    gone.sort(byIndex);
    come.sort(byIndex);
    changed.sort(byIndex);
    const added = delta.added.map((entry) => target.indexOf(entry.path)).sort(byIndex);
    const removed = delta.removed.map((path) => base.indexOf(path)).sort(byIndex);
    return {
        base: baseSeq,
        delta: { added: added.map((index) => target.entry(index)), changed: changed.map((index) => target.entry(index)), removed: removed.map((index) => base.path(index)) },
        runs: runsBetween(gone, base.length, come, target.length),
    };
}
/**
 * The runs of lines kept between a base of `baseLength` lines without the sorted indexes `gone`
 * and a target of `targetLength` lines without the sorted indexes `come`: what is left of both
 * is the same lines in the same order.
 */
function runsBetween(gone, baseLength, come, targetLength) {
    const runs = [];
    let i = 0;
    let j = 0;
    let g = 0;
    let c = 0;
    while (i < baseLength && j < targetLength) {
        if (gone[g] === i) {
            g++;
            i++;
            continue;
        }
        if (come[c] === j) {
            c++;
            j++;
            continue;
        }
        const count = Math.min((gone[g] ?? baseLength) - i, (come[c] ?? targetLength) - j);
        runs.push(i, j, count);
        i += count;
        j += count;
    }
    return runs;
}
function sameLine(a, i, b, j) {
    if (i < 0 || j < 0)
        return false;
    const aLines = a.offsets().lineStarts;
    const bLines = b.offsets().lineStarts;
    return a.text.compare(b.text, bLines[j], bLines[j + 1], aLines[i], aLines[i + 1]) === 0;
}
//# sourceMappingURL=publish-step.js.map