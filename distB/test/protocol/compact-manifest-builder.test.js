import t from 'tap';
import { CanonicalLines, validateToCompact } from '../../protocol/compact-manifest-builder.js';
import { CompactManifest } from '../../protocol/compact-manifest.js';
import { validateManifest } from '../../protocol/manifest.js';
import { recordBytes } from '../../server/store/records.js';
const sha = (n) => n.toString(16).padStart(64, '0');
const linesOf = (entries) => {
    const lines = new CanonicalLines();
    for (const entry of entries)
        lines.add(entry);
    return lines;
};
/** validateManifest's outcome, as entries or as the error's code and message. */
const outcomeOf = (check) => {
    try {
        return { entries: check() };
    }
    catch (err) {
        return { code: err.code, message: err.message };
    }
};
const tree = [
    { path: 'z.txt', type: 'file', mode: 0o644, size: 3, sha256: sha(1) },
    { path: 'dir/é-non-ascii.txt', type: 'file', mode: 0o600, size: 0, sha256: sha(2) },
    { path: 'dir', type: 'dir', mode: 0o755 },
    { path: 'dir/link', type: 'symlink', mode: 0o644, target: 'é-non-ascii.txt' },
    { path: 'a\ttab', type: 'file', mode: 0o644, size: 7, sha256: sha(3) },
    { path: 'dir-x', type: 'symlink', mode: 0o777, target: 'dir/a\tb' },
    { path: 'dir/a\tb', type: 'file', mode: 0o644, size: 1, sha256: sha(4) },
];
t.test('the same tree as validateManifest, sorted, from entries in any order', async (t) => {
    for (const order of [tree, [...tree].reverse(), validateManifest(tree)]) {
        const built = validateToCompact(linesOf(order));
        const expected = CompactManifest.fromSorted(validateManifest(order));
        t.ok(built.text.equals(expected.text), 'same canonical text');
        t.same(built.toEntries(), expected.toEntries());
        t.equal(built.digest(), expected.digest());
        t.equal(built.indexOf('dir/link'), expected.indexOf('dir/link'), 'offsets hold: lookups agree');
    }
});
t.test('the same error as validateManifest, in its order', async (t) => {
    const cases = [
        ['a bad entry', [...tree, { path: 'x', type: 'file', mode: 0o644, size: -1, sha256: sha(5) }]],
        ['a bad mode', [{ path: 'x', type: 'file', mode: 0o4755, size: 1, sha256: sha(5) }]],
        ['a bad entry after a duplicate: the entry first', [tree[0], tree[0], { path: '../up', type: 'dir', mode: 0o755 }]],
        ['a duplicate', [tree[0], tree[0]]],
        ['a file under a file', [tree[0], { path: 'z.txt/under', type: 'file', mode: 0o644, size: 1, sha256: sha(6) }]],
        ['a link leaving the tree', [{ path: 'out', type: 'symlink', mode: 0o777, target: '../../etc' }]],
        ['not an object', [42]],
    ];
    for (const [what, entries] of cases) {
        const expected = outcomeOf(() => validateManifest(entries));
        t.ok('code' in expected, `${what}: validateManifest refuses it`);
        t.same(outcomeOf(() => validateToCompact(linesOf(entries)).toEntries()), expected, what);
    }
    const external = [{ path: 'out', type: 'symlink', mode: 0o777, target: '/etc/hosts' }];
    t.same(validateToCompact(linesOf(external), { externalSymlinks: true }).toEntries(), validateManifest(external, { externalSymlinks: true }), 'the rules apply');
});
t.test('sorted trees without links (checked by lookups): the same tree or error as validateManifest', async (t) => {
    const file = (path) => ({ path, type: 'file', mode: 0o644, size: 1, sha256: sha(7) });
    const dir = (path) => ({ path, type: 'dir', mode: 0o755 });
    const cases = [
        ['siblings sorting between a dir and what lies in it', [dir('a'), file('a-x'), file('a-x/y'), file('a.txt'), file('a/b'), dir('a/c'), file('a/c/d'), file('b/implied/deep')]],
        ['a file under a file', [file('a'), file('a/b')]],
        ['a file deep under a file, past implied dirs', [file('a'), file('a-1'), file('a/x/y/z')]],
        ['a dir under a file after siblings', [file('f'), file('f.txt'), file('f0'), dir('f/d')]],
        ['under an implied dir under a file', [file('p'), file('p/q/r'), file('p/q/s')]],
        ['a file under a dir under a file', [file('k'), dir('k/d'), file('k/d/e')]],
    ];
    for (const [what, entries] of cases) {
        const expected = outcomeOf(() => validateManifest(entries));
        const built = outcomeOf(() => validateToCompact(linesOf(entries)).toEntries());
        t.same(built, expected, what);
    }
});
t.test('a release record written from the compact manifest is the bytes JSON.stringify made', async (t) => {
    const entries = validateManifest(tree);
    const manifest = CompactManifest.fromSorted(entries);
    const header = { app: 'web', seq: 3, digest: manifest.digest(), createdAt: '2026-01-01T00:00:00.000Z', meta: { commit: 'abc' }, files: 4, bytes: 11 };
    t.equal(recordBytes(header, manifest).toString(), JSON.stringify({ ...header, entries }));
    const signature = { keyId: 'k1', sig: 'c2ln' };
    t.equal(recordBytes({ ...header, rollbackOf: 1, signature }, manifest).toString(), JSON.stringify({ ...header, rollbackOf: 1, entries, signature }), 'signature after the entries');
    const many = Array.from({ length: 9000 }, (_, i) => ({ path: `f${String(i).padStart(5, '0')}`, type: 'file', mode: 0o644, size: i, sha256: sha(i) }));
    t.equal(recordBytes(header, CompactManifest.fromSorted(many)).toString(), JSON.stringify({ ...header, entries: many }), 'across batches');
    t.equal(recordBytes(header, CompactManifest.fromSorted([])).toString(), JSON.stringify({ ...header, entries: [] }), 'no entries');
});
//# sourceMappingURL=compact-manifest-builder.test.js.map