import t from 'tap';
import { CompactManifest } from '../../../protocol/compact-manifest.js';
import type { ManifestEntry } from '../../../protocol/manifest.js';
import { comparePathBytes } from '../../../protocol/paths.js';
import { CloneEntries, type CloneEntry } from '../../../agent/sync/clone-entries.js';

const sha = (n: number): string => n.toString(16).padStart(64, '0');

function manifestOf(entries: ManifestEntry[]): CompactManifest {
  return CompactManifest.fromSorted([...entries].sort((a, b) => comparePathBytes(a.path, b.path)));
}

function expected(entry: ManifestEntry): CloneEntry {
  if (entry.type === 'file') return { type: 'file', path: entry.path, sha256: entry.sha256, mode: entry.mode };
  if (entry.type === 'symlink') return { type: 'symlink', path: entry.path, target: entry.target };
  return { type: 'dir', path: entry.path };
}

function sample(name: (base: string) => string): ManifestEntry[] {
  return [
    { path: name('a.txt'), type: 'file', mode: 0o644, size: 3, sha256: sha(1) },
    { path: `deep/${name('er')}/run.sh`, type: 'file', mode: 0o755, size: 12, sha256: sha(2) },
    { path: 'deep/er2/x', type: 'file', mode: 0o4750, size: 0, sha256: sha(3) },
    { path: `link-${name('t')}`, type: 'symlink', mode: 0o777, target: `deep/${name('er')}/run.sh` },
    { path: 'odd', type: 'symlink', mode: 0o777, target: 'a\ttab' },
    { path: 'locked', type: 'dir', mode: 0o500 },
    { path: 'locked/inner/f', type: 'file', mode: 0o600, size: 1, sha256: sha(4) },
  ];
}

for (const [label, name] of [
  ['an ASCII manifest', (base: string) => base],
  ['a manifest with non-ASCII paths', (base: string) => `é${base}✓`],
] as const) {
  t.test(`${label}: every entry as the manifest decodes it, and every directory listed or implied with its mode`, async (t) => {
    const manifest = manifestOf(sample(name));
    const entries = new CloneEntries(manifest);
    t.equal(entries.length, manifest.length);
    for (let i = 0; i < manifest.length; i++) t.same(entries.at(i), expected(manifest.entry(i)), manifest.path(i));
    const dirs = new Map<string, number>();
    for (const entry of manifest) {
      const parts = entry.path.split('/');
      for (let depth = 1; depth < parts.length; depth++) if (!dirs.has(parts.slice(0, depth).join('/'))) dirs.set(parts.slice(0, depth).join('/'), 0o755);
      if (entry.type === 'dir') dirs.set(entry.path, entry.mode);
    }
    t.same([...entries.dirs()].sort(), [...dirs].sort());
  });
}
