import { readFile } from 'node:fs/promises';
import type { CompactManifest } from '../../protocol/compact-manifest.js';
import type { DurableFs } from './durable-fs.js';
import { baseFits, copiedRuns, recordChunks, type RecordLayout } from './record-layout.js';
import { recordFrame, type ReleaseHeader } from './records.js';

/** The app's latest record, which the next one copies its shared entries from. */
export interface PreviousRecord {
  manifest: CompactManifest;
  layout: RecordLayout;
  /** Its record file. */
  path: string;
  /** The runs of lines the new record shares with it, when known (see copiedRuns). */
  runs?: number[] | undefined;
}

/**
 * Writes the record file of `record` at `path`, the entries it shares with `previous` copied
 * from that file (a one-file change of a 100 000-entry tree writes one entry's JSON, not all of
 * them), the rest made while it is written; returns where its entries lie for the next record.
 * A previous file that is not the one its layout describes is not copied from: `onMismatch` is
 * told and the record is written whole.
 */
export async function writeRecordFile(fs: DurableFs, path: string, record: ReleaseHeader, manifest: CompactManifest, previous: PreviousRecord | undefined, onMismatch: () => void): Promise<RecordLayout | undefined> {
  const { head, tail } = recordFrame(record);
  let runs = copiedRuns(manifest, previous, previous?.runs);
  let base: { layout: RecordLayout; file: Buffer } | undefined;
  if (previous && runs.length > 0) {
    const file = await readFile(previous.path).catch(() => undefined);
    if (baseFits(runs, previous.layout, file)) base = { layout: previous.layout, file };
    else {
      onMismatch();
      runs = [];
    }
  }
  const done: { layout?: RecordLayout } = {};
  await fs.writeParts(path, recordChunks(head, tail, manifest, runs, base, done));
  return done.layout;
}
