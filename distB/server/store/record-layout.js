import { entriesJsonRange } from './entries-json.js';
/** Shares below this fraction of the target's entries are not worth reading the base record for. */
const MIN_SHARED_FRACTION = 0.5;
/** Entries written as JSON per chunk: the record is made while it is written, never whole in memory. */
const CHUNK_ENTRIES = 4096;
/**
 * The runs of entries (`CompactManifest.sharedRuns` triples) the record of `manifest` copies from
 * `base`'s record; none without a base or when it shares too little to be worth reading. `known`
 * are those runs when the caller has them already (a delta publish on that base: publish-step.ts).
 */
export function copiedRuns(manifest, base, known) {
    if (!base)
        return [];
    const runs = known ?? base.manifest.sharedRuns(manifest);
    let shared = 0;
    for (let r = 2; r < runs.length; r += 3)
        shared += runs[r];
    return shared < manifest.length * MIN_SHARED_FRACTION ? [] : runs;
}
/**
 * True when `file` is the record `layout` describes, as far as `runs` read it: its length, and
 * each run beginning with an object and ending before a separator.
 */
export function baseFits(runs, layout, file) {
    if (!file || file.length !== layout.fileBytes)
        return false;
    for (let r = 0; r < runs.length; r += 3) {
        const baseStart = layout.starts[runs[r]];
        const baseEnd = layout.starts[runs[r] + runs[r + 2]] - 1;
        if (file[baseStart] !== OPEN_BRACE || file[baseEnd - 1] !== CLOSE_BRACE || !SEPARATORS.has(file[baseEnd]))
            return false;
    }
    return true;
}
/**
 * The bytes of the record of `manifest` between `head` (up to and including the `[` opening the
 * entries) and `tail` (from the `]` on), in chunks made as they are asked for: the `runs` cut from
 * the base record's bytes (checked with `baseFits`), every other entry written from the text,
 * CHUNK_ENTRIES at a time. Once the last chunk is taken, `done.layout` says where its entries lie
 * (undefined past 4 GiB: the layout's offsets are 32-bit).
 */
export function* recordChunks(head, tail, manifest, runs, base, done) {
    const count = manifest.length;
    // Offsets past 4 GiB wrap here; such a layout is dropped at the end.
    const starts = new Uint32Array(count + 1);
    let at = head.length;
    let next = 0;
    yield head;
    function* written(to) {
        while (next < to) {
            const end = Math.min(to, next + CHUNK_ENTRIES);
            const { json, starts: relative } = entriesJsonRange(manifest, next, end);
            if (next > 0) {
                yield COMMA;
                at++;
            }
            for (let k = 0; k < relative.length; k++)
                starts[next + k] = at + relative[k];
            yield json;
            at += json.length;
            next = end;
        }
    }
    for (let r = 0; r < runs.length; r += 3) {
        const [from, to, length] = [runs[r], runs[r + 1], runs[r + 2]];
        yield* written(to);
        if (next > 0) {
            yield COMMA;
            at++;
        }
        const baseStarts = base.layout.starts;
        const baseStart = baseStarts[from];
        const shift = at - baseStart;
        for (let k = 0; k < length; k++)
            starts[to + k] = baseStarts[from + k] + shift;
        const baseEnd = baseStarts[from + length] - 1;
        yield base.file.subarray(baseStart, baseEnd);
        at += baseEnd - baseStart;
        next = to + length;
    }
    yield* written(count);
    starts[count] = at + 1;
    yield tail;
    at += tail.length;
    if (at <= 0xffff_ffff)
        done.layout = { starts, fileBytes: at };
}
const COMMA = Buffer.from(',');
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
/** What follows an entry's object in a record: a comma, or the `]` closing the entries. */
const SEPARATORS = new Set([0x2c, 0x5d]);
//# sourceMappingURL=record-layout.js.map