import type { CompactManifest } from '../../protocol/compact-manifest.js';
import type { ManifestEntry } from '../../protocol/manifest.js';
import { IMPLIED_DIR_MODE } from './tree-steps.js';

const NON_ASCII = /[^\x00-\x7f]/;
const PLAIN_FILE_MODE = 0o644;

/** What a clone does with one entry: a file linked from its object, a symlink, or a directory (made beforehand). */
export type CloneEntry = { type: 'file'; path: string; sha256: string; mode: number } | { type: 'symlink'; path: string; target: string } | { type: 'dir'; path: string };

/**
 * The fields a clone of `manifest` needs, read off its canonical text rather than decoded entry
 * by entry: an ASCII text (code trees nearly always are) is turned into one string once and cut
 * by offsets, as CompactManifest.toEntries does, with no array of the whole tree. A 10 000-file clone spent about a third of its user time (~40 of ~110 ms on a fresh
 * clone thread) decoding entries, each with a buffer slice and a string per field.
 */
export class CloneEntries {
  private readonly manifest: CompactManifest;
  private readonly whole: string | undefined;
  private readonly lineStarts: Uint32Array;
  private readonly pathStarts: Uint32Array;

  constructor(manifest: CompactManifest) {
    this.manifest = manifest;
    const whole = manifest.text.toString('latin1');
    this.whole = NON_ASCII.test(whole) ? undefined : whole;
    ({ lineStarts: this.lineStarts, pathStarts: this.pathStarts } = manifest.offsets());
  }

  get length(): number {
    return this.pathStarts.length;
  }

  /**
   * The directories the tree holds, listed or implied, with their modes. Entries come in
   * canonical order and a parent is noted with all of its own parents, so only an entry whose
   * parent is new costs a walk up its path.
   */
  dirs(): Map<string, number> {
    const dirs = new Map<string, number>();
    for (let i = 0; i < this.length; i++) {
      const entry = this.at(i);
      const slash = entry.path.lastIndexOf('/');
      if (slash > 0 && !dirs.has(entry.path.slice(0, slash))) {
        for (let index = entry.path.indexOf('/'); index !== -1; index = entry.path.indexOf('/', index + 1)) {
          const parent = entry.path.slice(0, index);
          if (!dirs.has(parent)) dirs.set(parent, IMPLIED_DIR_MODE);
        }
      }
      if (entry.type === 'dir') dirs.set(entry.path, this.modeAt(i));
    }
    return dirs;
  }

  /** Entry `index`. */
  at(index: number): CloneEntry {
    const whole = this.whole;
    if (whole === undefined) return fromEntry(this.manifest.entry(index));
    const start = this.lineStarts[index]!;
    const pathStart = this.pathStarts[index]!;
    const path = whole.slice(pathStart, this.lineStarts[index + 1]! - 1);
    // Types are `dir`, `file`, `symlink`: their first letters differ.
    const initial = whole.charCodeAt(start);
    if (initial === 0x66) return { type: 'file', path, sha256: whole.slice(pathStart - 65, pathStart - 1), mode: this.modeAt(index) };
    if (initial === 0x73) {
      const sizeEnd = whole.indexOf('\t', start + 13);
      return { type: 'symlink', path, target: whole.slice(sizeEnd + 1, pathStart - 1) };
    }
    return { type: 'dir', path };
  }

  /** The mode of entry `index`: four octal digits after the type's tab. */
  private modeAt(index: number): number {
    const whole = this.whole;
    if (whole === undefined) return this.manifest.entry(index).mode;
    const start = this.lineStarts[index]!;
    const modeStart = whole.indexOf('\t', start) + 1;
    const mode = whole.slice(modeStart, modeStart + 4);
    return mode === '0644' ? PLAIN_FILE_MODE : Number.parseInt(mode, 8);
  }
}

function fromEntry(entry: ManifestEntry): CloneEntry {
  if (entry.type === 'file') return { type: 'file', path: entry.path, sha256: entry.sha256, mode: entry.mode };
  if (entry.type === 'symlink') return { type: 'symlink', path: entry.path, target: entry.target };
  return { type: 'dir', path: entry.path };
}
