import type { CompactManifest } from '../../protocol/compact-manifest.js';
import { entriesJsonRange } from './entries-json.js';

/**
 * Where each entry's JSON object lies in a release record file (records.ts): entry i spans
 * [starts[i], starts[i + 1] - 1) — the byte after it is a comma, or the `]` closing the entries
 * for the last — and `starts[length]` is one past that `]`. Kept for the latest record of an
 * app, so the next record copies the runs of entries it shares with it instead of writing every
 * entry again (400 KB for 100 000 entries, where the record is ~15 MB).
 */
export interface RecordLayout {
  starts: Uint32Array;
  /** The record file's length: a file of another length is not the one described. */
  fileBytes: number;
}

/** A record's bytes planned: pieces of new bytes and runs of the base record file to copy. */
export interface RecordPlan {
  pieces: Array<Buffer | { baseStart: number; baseEnd: number }>;
  layout: RecordLayout;
}

/** Shares below this fraction of the target's entries are not worth reading the base record for. */
const MIN_SHARED_FRACTION = 0.5;

/**
 * The record of `manifest` between `head` (up to and including the `[` opening the entries) and
 * `tail` (from the `]` on), its entries copied from `base`'s record where the lines are the same
 * and written from the text elsewhere. Without a base, or one sharing too little, every entry is
 * written. Undefined when the record would pass 4 GiB (the layout's offsets are 32-bit): the
 * caller then writes it whole, with no layout.
 */
export function planRecord(head: Buffer, tail: Buffer, manifest: CompactManifest, base?: { manifest: CompactManifest; layout: RecordLayout }): RecordPlan | undefined {
  const runs = base ? base.manifest.sharedRuns(manifest) : [];
  let shared = 0;
  for (let r = 2; r < runs.length; r += 3) shared += runs[r]!;
  if (!base || shared < manifest.length * MIN_SHARED_FRACTION) runs.length = 0;
  const count = manifest.length;
  // Offsets past 4 GiB wrap here; such a plan is refused below.
  const starts = new Uint32Array(count + 1);
  const pieces: RecordPlan['pieces'] = [head];
  let at = head.length;
  let next = 0;
  const separate = (): void => {
    if (next === 0) return;
    pieces.push(COMMA);
    at++;
  };
  const written = (to: number): void => {
    if (to <= next) return;
    separate();
    const { json, starts: relative } = entriesJsonRange(manifest, next, to);
    for (let k = 0; k < relative.length; k++) starts[next + k] = at + relative[k]!;
    pieces.push(json);
    at += json.length;
    next = to;
  };
  for (let r = 0; r < runs.length; r += 3) {
    const [from, to, length] = [runs[r]!, runs[r + 1]!, runs[r + 2]!];
    written(to);
    separate();
    const baseStarts = base!.layout.starts;
    const baseStart = baseStarts[from]!;
    const shift = at - baseStart;
    for (let k = 0; k < length; k++) starts[to + k] = baseStarts[from + k]! + shift;
    const baseEnd = baseStarts[from + length]! - 1;
    pieces.push({ baseStart, baseEnd });
    at += baseEnd - baseStart;
    next = to + length;
  }
  written(count);
  starts[count] = at + 1;
  pieces.push(tail);
  at += tail.length;
  if (at > 0xffff_ffff) return undefined;
  return { pieces, layout: { starts, fileBytes: at } };
}

/**
 * The plan's bytes as buffers in order, the base runs cut from `baseFile` (the base record's
 * bytes, not copied). Undefined when `baseFile` is not the record the base layout describes
 * (another length, or a run that does not begin with an object and end before a separator).
 */
export function recordParts(plan: RecordPlan, baseFile?: Buffer, baseBytes?: number): Buffer[] | undefined {
  const parts: Buffer[] = [];
  for (const piece of plan.pieces) {
    if (Buffer.isBuffer(piece)) {
      parts.push(piece);
      continue;
    }
    if (!baseFile || baseFile.length !== baseBytes || baseFile[piece.baseStart] !== OPEN_BRACE || baseFile[piece.baseEnd - 1] !== CLOSE_BRACE || !SEPARATORS.has(baseFile[piece.baseEnd]!)) return undefined;
    parts.push(baseFile.subarray(piece.baseStart, piece.baseEnd));
  }
  return parts;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
/** What follows an entry's object in a record: a comma, or the `]` closing the entries. */
const SEPARATORS = new Set([0x2c, 0x5d]);

/** True when the plan copies runs of the base record. */
export function readsBase(plan: RecordPlan): boolean {
  return plan.pieces.some((piece) => !Buffer.isBuffer(piece));
}

const COMMA = Buffer.from(',');
