import { createHash, type Hash } from 'node:crypto';

/** A manifest's canonical text and its offsets, as CompactManifest holds them. */
export interface CanonicalText {
  text: Buffer;
  /** Where each line begins; one more element: the text's length. */
  lineStarts: Uint32Array;
  /** Where each line's path begins. */
  pathStarts: Uint32Array;
}

/** One line of a delta, in path order: a base line removed or replaced, or a line added before one. */
export interface DeltaOp {
  /** The base line replaced or removed (>= 0), or -1 - the base line an addition goes before. */
  index: number;
  /** The new canonical line; none for a removal. */
  line?: Buffer | undefined;
  /** Bytes of the new line's path. */
  pathBytes?: number | undefined;
}

/**
 * A manifest made of a base and a checked delta, before its text is built: what the agent needs
 * of a one-file change up to its switch (the digest, a few lookups) reads the base's text in
 * place, so a ~1 MiB copy of it (fresh pages after the agent's heap trims: ~0.3-1 ms of CPU) is
 * made later, in the background, or never.
 */
export interface DeltaPlan {
  base: CanonicalText;
  /** In path order, each base line named at most once. */
  ops: readonly DeltaOp[];
  /** Entries of the manifest made. */
  count: number;
  /** Bytes of its text. */
  bytes: number;
}

/** The sha256 state after a text's first `offset` bytes: a digest of a text sharing them starts there. */
export interface HashMark {
  offset: number;
  /** Never updated: a digest starting here updates a copy. */
  hash: Hash;
}

/** Bytes between two marks: 8 for a 10 000-file text, each a copy of the hash state (~5-10 µs). */
const MARK_BYTES = 128 * 1024;

/** A manifest digest and the marks taken while hashing its text. */
export interface MarkedDigest {
  digest: string;
  marks: HashMark[];
}

/**
 * `sha256:<hex>` of the text `plan` makes, with marks every MARK_BYTES of it. The base's unchanged
 * runs are hashed where they lie, and the bytes before the first change start from the base's
 * last mark before it (`baseMarks`, taken over the base's own text, which the plan's text begins
 * with): a change halfway down the tree hashes half of it. The bytes after a change are hashed
 * again, whatever they are: sha256 carries its state from each byte to the next.
 */
export function planDigest(plan: DeltaPlan, baseMarks: readonly HashMark[] = []): MarkedDigest {
  const { base, ops } = plan;
  const first = ops[0];
  const unchanged = first ? base.lineStarts[first.index >= 0 ? first.index : -1 - first.index]! : base.text.length;
  const from = lastMarkUpTo(baseMarks, unchanged);
  const hash = new MarkingHash(from);
  // Every run starts at or after the first change but the first, which starts at the mark.
  const start = hash.offset;
  let next = 0;
  for (const op of ops) {
    const at = op.index >= 0 ? op.index : -1 - op.index;
    if (at > next) hash.update(base.text.subarray(Math.max(base.lineStarts[next]!, start), base.lineStarts[at]));
    if (op.line) hash.update(op.line);
    next = op.index >= 0 ? op.index + 1 : at;
  }
  const lines = base.lineStarts.length - 1;
  if (lines > next) hash.update(base.text.subarray(Math.max(base.lineStarts[next]!, start), base.lineStarts[lines]));
  const kept = from ? baseMarks.slice(0, baseMarks.indexOf(from) + 1) : [];
  return { digest: `sha256:${hash.digest()}`, marks: [...kept, ...hash.marks] };
}

/** The last of `marks` (in offset order) at or before `offset`. */
function lastMarkUpTo(marks: readonly HashMark[], offset: number): HashMark | undefined {
  let found: HashMark | undefined;
  for (const mark of marks) {
    if (mark.offset > offset) break;
    found = mark;
  }
  return found;
}

/** A sha256 over bytes given in order, marking its state every MARK_BYTES. */
class MarkingHash {
  offset: number;
  readonly marks: HashMark[] = [];
  private readonly hash: Hash;

  constructor(from: HashMark | undefined) {
    this.hash = from ? from.hash.copy() : createHash('sha256');
    this.offset = from?.offset ?? 0;
  }

  update(bytes: Buffer): void {
    let rest = bytes;
    for (let room = MARK_BYTES - (this.offset % MARK_BYTES); rest.length >= room; room = MARK_BYTES) {
      this.hash.update(rest.subarray(0, room));
      this.offset += room;
      rest = rest.subarray(room);
      this.marks.push({ offset: this.offset, hash: this.hash.copy() });
    }
    if (rest.length === 0) return;
    this.hash.update(rest);
    this.offset += rest.length;
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/**
 * The text and offsets `plan` makes, in one buffer of the final size: the unchanged runs are
 * copied into it, their offsets too, as they are where no line before them changed length, else
 * shifted.
 */
export function buildPlan(plan: DeltaPlan): CanonicalText {
  const { base, ops, count, bytes } = plan;
  const text = Buffer.allocUnsafe(bytes);
  const lineStarts = new Uint32Array(count + 1);
  const pathStarts = new Uint32Array(count);
  const out: CanonicalText = { text, lineStarts, pathStarts };
  let entries = 0;
  let size = 0;
  let next = 0;
  for (const op of ops) {
    // A negative index is an addition before base entry -1 - index.
    const at = op.index >= 0 ? op.index : -1 - op.index;
    if (at > next) {
      copyRun(base, next, at, out, entries, size);
      entries += at - next;
      size += base.lineStarts[at]! - base.lineStarts[next]!;
    }
    if (op.line) {
      lineStarts[entries] = size;
      pathStarts[entries++] = size + op.line.length - 1 - op.pathBytes!;
      size += op.line.copy(text, size);
    }
    next = op.index >= 0 ? op.index + 1 : at;
  }
  const lines = base.lineStarts.length - 1;
  if (lines > next) {
    copyRun(base, next, lines, out, entries, size);
    entries += lines - next;
    size += base.lineStarts[lines]! - base.lineStarts[next]!;
  }
  lineStarts[entries] = size;
  return out;
}

/** Copies base entries [from, to) to `out` at byte `size` and entry `entries`, offsets shifted to where they land. */
function copyRun(base: CanonicalText, from: number, to: number, out: CanonicalText, entries: number, size: number): void {
  base.text.copy(out.text, size, base.lineStarts[from], base.lineStarts[to]);
  out.lineStarts.set(base.lineStarts.subarray(from, to), entries);
  out.pathStarts.set(base.pathStarts.subarray(from, to), entries);
  const shift = size - base.lineStarts[from]!;
  if (shift === 0) return;
  for (let i = entries, end = entries + to - from; i < end; i++) {
    out.lineStarts[i] = out.lineStarts[i]! + shift;
    out.pathStarts[i] = out.pathStarts[i]! + shift;
  }
}
