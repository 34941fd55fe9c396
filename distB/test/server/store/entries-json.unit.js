import t from 'tap';
import { CompactManifest } from '../../../protocol/compact-manifest.js';
import { comparePathBytes } from '../../../protocol/paths.js';
import { entriesJson } from '../../../server/store/entries-json.js';
import { recordBytes } from '../../../server/store/records.js';
const sha = (c) => c.repeat(64);
const unsorted = [
    { path: 'a.php', type: 'file', mode: 0o644, size: 5, sha256: sha('a') },
    { path: 'bin', type: 'dir', mode: 0o755 },
    { path: 'bin/run', type: 'file', mode: 0o4755, size: 0, sha256: sha('b') },
    { path: 'big.bin', type: 'file', mode: 0o600, size: 9_007_199_254_740_991, sha256: sha('c') },
    { path: 'link', type: 'symlink', mode: 0o777, target: 'bin/run' },
    { path: 'odd "quoted" \\ back', type: 'file', mode: 0o644, size: 1, sha256: sha('d') },
    { path: 'tab\there\nnewline\u0001ctl', type: 'file', mode: 0o644, size: 2, sha256: sha('e') },
    { path: 'ünïcode ✓ \u2028 sep', type: 'dir', mode: 0o700 },
    { path: 'weird-link', type: 'symlink', mode: 0o777, target: 'a\t"b"\\c\nd ✓' },
    { path: 'x', type: 'dir', mode: 0 },
];
const entries = [...unsorted].sort((a, b) => comparePathBytes(a.path, b.path));
t.test('entriesJson is JSON.stringify of each entry, comma-joined, byte for byte', async (t) => {
    const manifest = CompactManifest.fromSorted(entries);
    t.equal(entriesJson(manifest).toString('utf8'), entries.map((entry) => JSON.stringify(entry)).join(','));
    t.equal(entriesJson(CompactManifest.fromSorted([])).length, 0, 'no entries: nothing');
    // Many escaped entries in a row outgrow the first buffer.
    const escaped = Array.from({ length: 2000 }, (_, i) => ({ path: `p${String(i).padStart(4, '0')}\u0001\u0002\u0003\u0004\u0005"\\`, type: 'symlink', mode: 0o777, target: '\u0001'.repeat(40) }));
    t.equal(entriesJson(CompactManifest.fromSorted(escaped)).toString('utf8'), escaped.map((entry) => JSON.stringify(entry)).join(','), 'a buffer that grows');
});
t.test('recordBytes is JSON.stringify of the whole record, signature last', async (t) => {
    const header = { app: 'web', seq: 3, digest: `sha256:${sha('f')}`, createdAt: '2026-01-01T00:00:00.000Z', meta: { commit: 'c' }, files: 6, bytes: 8 };
    const manifest = CompactManifest.fromSorted(entries);
    t.equal(recordBytes(header, manifest).toString('utf8'), JSON.stringify({ ...header, entries }));
    const signature = { alg: 'ed25519', keyId: 'k', sig: 'c2ln' };
    t.equal(recordBytes({ ...header, signature }, manifest).toString('utf8'), JSON.stringify({ ...header, entries, signature }));
});
//# sourceMappingURL=entries-json.unit.js.map