import { createHash } from 'node:crypto';
import type { ManifestEntry } from '../../../protocol/manifest.js';
import { comparePathBytes } from '../../../protocol/paths.js';

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * Directory entries and their contents interleaved with siblings that sort between a directory
 * and what lies below it ("a" < "a.txt" < "a/..."), empty directories, restrictive modes.
 */
export function treeEntries(): { entries: ManifestEntry[]; files: Map<string, Buffer> } {
  const files = new Map<string, Buffer>();
  const entries: ManifestEntry[] = [];
  const file = (path: string, mode = 0o644) => {
    const data = Buffer.from(`bytes of ${path}\n`);
    files.set(path, data);
    entries.push({ path, type: 'file', mode, size: data.length, sha256: sha(data) } as ManifestEntry);
  };
  const dir = (path: string, mode: number) => entries.push({ path, type: 'dir', mode } as ManifestEntry);
  dir('a', 0o555);
  file('a.txt');
  file('a/b');
  dir('a/e', 0o500);
  file('a/e.txt', 0o600);
  dir('a/f', 0o711);
  file('a/f/g/h');
  entries.push({ path: 'a/f/link', type: 'symlink', mode: 0o777, target: '../b' } as ManifestEntry);
  dir('empty', 0o700);
  file('lib/d0/e0/f0.txt');
  file('lib/d0/e1/f1.txt');
  file('lib/d1/e0/f2.txt', 0o755);
  file('z');
  entries.sort((x, y) => comparePathBytes(x.path, y.path));
  return { entries, files };
}
