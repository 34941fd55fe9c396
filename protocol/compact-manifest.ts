import { createHash } from 'node:crypto';
import { buildPlan, planDigest, type CanonicalText, type DeltaOp, type DeltaPlan, type HashMark, type MarkedDigest } from './compact-manifest-delta.js';
import type { ManifestDelta } from './delta.js';
import { canonicalLine } from './digest.js';
import { CodesyncError } from './errors.js';
import type { ManifestEntry } from './manifest.js';
import { manifestDiff, sharedRuns } from './manifest-runs.js';
import { comparePathBytes } from './paths.js';

const TAB = 0x09;
const FILE_INITIAL = 0x66;
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * A manifest held as its canonical text (docs/design.md#data-model): one buffer of the canonical
 * lines sorted by path bytes, and two offset arrays (where each line starts, where its path
 * starts). About the size of the text, ~110 bytes an entry, where an object per entry costs
 * kilobytes of heap. The digest is one sha256 over the buffer; a lookup is a binary search over
 * bytes; a delta is applied by copying the unchanged runs of the buffer. Paths may hold tabs and
 * newlines and symlink targets tabs, so the offsets, never a split on separators, delimit fields.
 * Immutable: every change makes a new one. One made by applyDelta builds its text on first use
 * (compact-manifest-delta.ts): its digest and its length need none.
 */
export class CompactManifest {
  /** The text and offsets, once built. */
  private built: CanonicalText | undefined;
  /** What the text is made of, until it is built. */
  private plan: DeltaPlan | undefined;
  readonly length: number;
  /** The digest of a text made by applyDelta, once taken, and the marks a digest of a delta on it starts from. */
  private deltaDigest: MarkedDigest | undefined;
  /** The marks of the base a delta made this manifest from, until its digest is taken. */
  private baseMarks: readonly HashMark[] | undefined;

  private constructor(form: CanonicalText | DeltaPlan, baseMarks?: readonly HashMark[]) {
    this.baseMarks = baseMarks;
    if ('ops' in form) {
      this.plan = form;
      this.length = form.count;
    } else {
      this.built = form;
      this.length = form.pathStarts.length;
    }
  }

  /** Canonical lines, sorted by path bytes. */
  get text(): Buffer {
    return this.form().text;
  }

  /** `lineStarts[i]` is where entry i's line begins; one more element: the text's length. */
  private get lineStarts(): Uint32Array {
    return this.form().lineStarts;
  }

  /** Where entry i's path begins (after the fourth tab). */
  private get pathStarts(): Uint32Array {
    return this.form().pathStarts;
  }

  private form(): CanonicalText {
    if (this.built) return this.built;
    this.built = buildPlan(this.plan!);
    this.plan = undefined;
    return this.built;
  }

  /** From entries already sorted canonically (validateManifest's output). */
  static fromSorted(entries: readonly ManifestEntry[]): CompactManifest {
    return CompactManifest.fromCanonicalLines(
      entries.map(canonicalLine),
      entries.map((entry) => entry.path),
    );
  }

  /**
   * From the canonical lines of entries sorted canonically and each line's path: what a caller
   * holding the fields elsewhere (the publish CLI's walk) builds without an entry object each.
   */
  static fromCanonicalLines(lines: readonly string[], paths: readonly string[]): CompactManifest {
    // One string and one encode for the whole text: a buffer per line cost a native call and an
    // allocation per entry. When the text is ASCII (as code trees nearly always are), string
    // lengths are byte lengths and no line needs measuring.
    const joined = lines.join('');
    const text = Buffer.from(joined);
    const ascii = text.length === joined.length;
    const lineStarts = new Uint32Array(lines.length + 1);
    const pathStarts = new Uint32Array(lines.length);
    let offset = 0;
    for (let i = 0; i < lines.length; i++) {
      lineStarts[i] = offset;
      offset += ascii ? lines[i]!.length : Buffer.byteLength(lines[i]!);
      pathStarts[i] = offset - 1 - (ascii ? paths[i]!.length : Buffer.byteLength(paths[i]!));
    }
    lineStarts[lines.length] = offset;
    return new CompactManifest({ text, lineStarts, pathStarts });
  }

  /**
   * From canonical text sorted by path bytes and its offsets, as `lineStarts`/`pathStarts` hold
   * them (protocol/compact-manifest-builder.ts makes them while it checks the entries).
   */
  static fromCanonicalText(text: Buffer, lineStarts: Uint32Array, pathStarts: Uint32Array): CompactManifest {
    return new CompactManifest({ text, lineStarts, pathStarts });
  }

  /**
   * From `lines()` and `pathBytes()` as stored: each line a canonical line ending in a newline,
   * with a path of that many bytes. Throws on anything else; the caller checks the digest.
   */
  static fromStored(lines: readonly unknown[], pathBytes: readonly unknown[]): CompactManifest {
    if (lines.length !== pathBytes.length) throw new Error('stored manifest: lines and path lengths differ in number');
    const buffers = lines.map((line, i) => {
      const bytes = pathBytes[i];
      if (typeof line !== 'string' || !line.endsWith('\n') || typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 1) throw new Error('stored manifest: malformed line');
      const buffer = Buffer.from(line);
      if (bytes + 1 >= buffer.length) throw new Error('stored manifest: malformed line');
      return buffer;
    });
    return CompactManifest.fromLines(buffers, pathBytes as number[]);
  }

  /** The canonical lines, one string each: with `pathBytes()`, the stored form (JSON-friendly, no object per entry). */
  lines(): string[] {
    const lines: string[] = [];
    for (let i = 0; i < this.length; i++) lines.push(this.text.toString('utf8', this.lineStarts[i], this.lineStarts[i + 1]));
    return lines;
  }

  /** The byte length of each entry's path, which delimits it in its line (targets may hold tabs). */
  pathBytes(): number[] {
    const lengths: number[] = [];
    for (let i = 0; i < this.length; i++) lengths.push(this.lineStarts[i + 1]! - 1 - this.pathStarts[i]!);
    return lengths;
  }

  /** From canonical lines in order and the byte length of each line's path. */
  private static fromLines(lines: readonly Buffer[], pathBytes: readonly number[]): CompactManifest {
    const lineStarts = new Uint32Array(lines.length + 1);
    const pathStarts = new Uint32Array(lines.length);
    let offset = 0;
    for (let i = 0; i < lines.length; i++) {
      lineStarts[i] = offset;
      offset += lines[i]!.length;
      pathStarts[i] = offset - 1 - pathBytes[i]!;
    }
    lineStarts[lines.length] = offset;
    return new CompactManifest({ text: Buffer.concat(lines, offset), lineStarts, pathStarts });
  }

  /**
   * `sha256:<hex>` of the canonical text: the release digest. A text made by applyDelta is hashed
   * from its base's runs, once (the text it builds is its own); any other is hashed each time, as
   * its buffer is the caller's.
   */
  digest(): string {
    if (this.deltaDigest === undefined && this.plan) {
      this.deltaDigest = planDigest(this.plan, this.baseMarks);
      this.baseMarks = undefined;
    }
    return this.deltaDigest?.digest ?? `sha256:${createHash('sha256').update(this.text).digest('hex')}`;
  }

  path(index: number): string {
    return this.text.toString('utf8', this.pathStarts[index]!, this.lineStarts[index + 1]! - 1);
  }

  /** The entry at `index`, decoded from its canonical line. */
  entry(index: number): ManifestEntry {
    const start = this.lineStarts[index]!;
    const pathStart = this.pathStarts[index]!;
    const typeEnd = this.text.indexOf(TAB, start);
    const modeEnd = typeEnd + 5;
    const sizeEnd = this.text.indexOf(TAB, modeEnd + 1);
    const type = this.text.toString('latin1', start, typeEnd);
    const mode = Number.parseInt(this.text.toString('latin1', typeEnd + 1, modeEnd), 8);
    const content = this.text.toString('utf8', sizeEnd + 1, pathStart - 1);
    const path = this.path(index);
    if (type === 'file') return { path, type, mode, size: Number(this.text.toString('latin1', modeEnd + 1, sizeEnd)), sha256: content };
    if (type === 'symlink') return { path, type, mode, target: content };
    return { path, type: 'dir', mode };
  }

  /** Entries in canonical order, one decoded at a time: no array of the whole tree. */
  *entries(): IterableIterator<ManifestEntry> {
    for (let i = 0; i < this.length; i++) yield this.entry(i);
  }

  [Symbol.iterator](): IterableIterator<ManifestEntry> {
    return this.entries();
  }

  /** True when the manifest lists `path` or holds anything beneath it. */
  holds(path: string): boolean {
    return this.indexOf(path) >= 0 || this.hasDescendants(path);
  }

  /**
   * A plain array of every entry: for whole-tree checks and release records. An ASCII text (code
   * trees nearly always are) is decoded once and cut into fields by offsets, a third of the cost
   * of decoding entry by entry (100 000 entries: ~40 ms against ~120 ms).
   */
  toEntries(): ManifestEntry[] {
    const whole = this.text.toString('latin1');
    if (NON_ASCII.test(whole)) return [...this.entries()];
    const entries: ManifestEntry[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) {
      const start = this.lineStarts[i]!;
      const pathStart = this.pathStarts[i]!;
      const typeEnd = whole.indexOf('\t', start);
      const modeEnd = typeEnd + 5;
      const sizeEnd = whole.indexOf('\t', modeEnd + 1);
      const type = whole.slice(start, typeEnd);
      const mode = Number.parseInt(whole.slice(typeEnd + 1, modeEnd), 8);
      const path = whole.slice(pathStart, this.lineStarts[i + 1]! - 1);
      const content = whole.slice(sizeEnd + 1, pathStart - 1);
      if (type === 'file') entries[i] = { path, type, mode, size: Number(whole.slice(modeEnd + 1, sizeEnd)), sha256: content };
      else if (type === 'symlink') entries[i] = { path, type, mode, target: content };
      else entries[i] = { path, type: 'dir', mode };
    }
    return entries;
  }

  /** Index of `path`, or -1. */
  indexOf(path: string): number {
    const wanted = Buffer.from(path);
    const index = this.lowerBound(wanted);
    return index < this.length && this.comparePath(index, wanted) === 0 ? index : -1;
  }

  /** True when some entry lies beneath `path` (its path starts with `path/`). */
  hasDescendants(path: string): boolean {
    const prefix = Buffer.from(`${path}/`);
    const index = this.lowerBound(prefix);
    if (index >= this.length) return false;
    const start = this.pathStarts[index]!;
    const end = this.lineStarts[index + 1]! - 1;
    return end - start >= prefix.length && this.text.compare(prefix, 0, prefix.length, start, start + prefix.length) === 0;
  }

  /** The paths of every entry beneath `path` (starting with `path/`), in canonical order. */
  pathsBelow(path: string): string[] {
    const prefix = Buffer.from(`${path}/`);
    const below: string[] = [];
    for (let index = this.lowerBound(prefix); index < this.length; index++) {
      const start = this.pathStarts[index]!;
      if (this.text.compare(prefix, 0, prefix.length, start, Math.min(start + prefix.length, this.lineStarts[index + 1]! - 1)) !== 0) break;
      below.push(this.path(index));
    }
    return below;
  }

  /** Number of entries of type `type`. */
  count(type: ManifestEntry['type']): number {
    const wanted = Buffer.from(`${type}\t`);
    let count = 0;
    for (let i = 0; i < this.length; i++) if (this.text.compare(wanted, 0, wanted.length, this.lineStarts[i]!, this.lineStarts[i]! + wanted.length) === 0) count++;
    return count;
  }

  /** The sha256 of every file, in canonical order, read off the text: no entry is decoded. */
  *fileSha256s(): IterableIterator<string> {
    for (let i = 0; i < this.length; i++) {
      // Types are `dir`, `file`, `symlink`: only a file's line begins with `f`. Its sha256 is the
      // 64 hex digits between the last two tabs before the path.
      if (this.text[this.lineStarts[i]!] !== FILE_INITIAL) continue;
      const pathStart = this.pathStarts[i]!;
      yield this.text.toString('latin1', pathStart - 65, pathStart - 1);
    }
  }

  /** Total bytes of the files. */
  fileBytes(): number {
    let total = 0;
    for (const entry of this.entries()) if (entry.type === 'file') total += entry.size;
    return total;
  }

  /**
   * The manifest `delta` makes of this one. INVALID_DELTA when it removes or changes a path this
   * one lacks, adds one it holds, or names a path twice. Costs the delta's lookups; the text is
   * built (a copy of this one's unchanged runs) when first used, and no entry of the unchanged
   * runs is decoded.
   */
  applyDelta(delta: ManifestDelta): CompactManifest {
    type Op = DeltaOp & { path: string };
    const ops: Op[] = [];
    for (const path of delta.removed) ops.push({ path, index: this.expectIndex(path, 'removes') });
    for (const entry of delta.changed) ops.push({ path: entry.path, index: this.expectIndex(entry.path, 'changes'), line: Buffer.from(canonicalLine(entry)), pathBytes: Buffer.byteLength(entry.path) });
    for (const entry of delta.added) {
      if (this.indexOf(entry.path) >= 0) throw invalidDelta(`adds ${JSON.stringify(entry.path)}, which the base already holds`);
      ops.push({ path: entry.path, index: -1, line: Buffer.from(canonicalLine(entry)), pathBytes: Buffer.byteLength(entry.path) });
    }
    ops.sort((a, b) => comparePathBytes(a.path, b.path));
    for (let i = 1; i < ops.length; i++) if (ops[i]!.path === ops[i - 1]!.path) throw new CodesyncError('DUPLICATE_PATH', `path ${JSON.stringify(ops[i]!.path)} appears more than once in the delta`);
    let count = this.length;
    let bytes = this.text.length;
    for (const op of ops) {
      if (op.index >= 0) {
        bytes -= this.lineStarts[op.index + 1]! - this.lineStarts[op.index]!;
        if (!op.line) count--;
      } else {
        op.index = -1 - this.lowerBound(Buffer.from(op.path));
        count++;
      }
      if (op.line) bytes += op.line.length;
    }
    return new CompactManifest({ base: this.form(), ops, count, bytes }, this.deltaDigest?.marks);
  }

  /** What turns this manifest into `target` (manifest-runs.ts: only the entries that differ are decoded). */
  diff(target: CompactManifest): ManifestDelta {
    return manifestDiff(this, target);
  }

  /**
   * The runs of lines `target` shares with this manifest, as triples [index here, index there,
   * count] (manifest-runs.ts): what lets a record or a hash of `target` reuse this one's work.
   */
  sharedRuns(target: CompactManifest): number[] {
    return sharedRuns(this, target);
  }

  /** The offset arrays, read-only views for protocol/compact-manifest-file.ts's disk form. */
  offsets(): { readonly lineStarts: Uint32Array; readonly pathStarts: Uint32Array } {
    return { lineStarts: this.lineStarts, pathStarts: this.pathStarts };
  }

  private expectIndex(path: string, verb: string): number {
    const index = this.indexOf(path);
    if (index < 0) throw invalidDelta(`${verb} ${JSON.stringify(path)}, which the base does not hold`);
    return index;
  }

  /** First index whose path is not below `wanted` (bytes). */
  private lowerBound(wanted: Buffer): number {
    let low = 0;
    let high = this.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.comparePath(middle, wanted) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private comparePath(index: number, wanted: Buffer): number {
    return this.text.compare(wanted, 0, wanted.length, this.pathStarts[index], this.lineStarts[index + 1]! - 1);
  }
}

function invalidDelta(message: string): CodesyncError {
  return new CodesyncError('INVALID_DELTA', `manifest delta refused: ${message}`);
}
