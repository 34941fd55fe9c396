import { readFile } from 'node:fs/promises';
import { baseFits, copiedRuns, recordChunks } from './record-layout.js';
import { recordFrame } from './records.js';
/**
 * Writes the record file of `record` at `path`, the entries it shares with `previous` copied
 * from that file (a one-file change of a 100 000-entry tree writes one entry's JSON, not all of
 * them), the rest made while it is written; returns where its entries lie for the next record.
 * A previous file that is not the one its layout describes is not copied from: `onMismatch` is
 * told and the record is written whole.
 */
export async function writeRecordFile(fs, path, record, manifest, previous, onMismatch) {
    const { head, tail } = recordFrame(record);
    let runs = copiedRuns(manifest, previous, previous?.runs);
    let base;
    if (previous && runs.length > 0) {
        const file = await readFile(previous.path).catch(() => undefined);
        if (baseFits(runs, previous.layout, file))
            base = { layout: previous.layout, file };
        else {
            onMismatch();
            runs = [];
        }
    }
    const done = {};
    await fs.writeParts(path, recordChunks(head, tail, manifest, runs, base, done));
    return done.layout;
}
//# sourceMappingURL=record-writer.js.map