import t from 'tap';
import { checkDeltaTarget } from '../../../agent/sync/target-manifest.js';
import { CompactManifest } from '../../../protocol/compact-manifest.js';
import { validateManifest } from '../../../protocol/manifest.js';
import { sha256Hex } from '../../../protocol/sha256.js';
const sha = (n) => n.toString(16).padStart(64, '0');
const file = (path, n) => ({ path, type: 'file', mode: 0o644, size: n, sha256: sha(n) });
const dir = (path) => ({ path, type: 'dir', mode: 0o755 });
const link = (path, target) => ({ path, type: 'symlink', mode: 0o777, target });
const baseEntries = [file('a.php', 1), dir('lib'), file('lib/b.php', 2), link('lib/c.php', 'b.php'), file('z.txt', 3)];
const base = CompactManifest.fromSorted(baseEntries);
t.test('a delta against the base it names gives the full target, sorted, and the delta itself', async (t) => {
    const body = { added: [file('lib/new.php', 4), file('m.txt', 5)], changed: [file('a.php', 6)], removed: ['z.txt'] };
    const target = checkDeltaTarget(base, body);
    t.same(target.manifest.toEntries().map((entry) => entry.path), ['a.php', 'lib', 'lib/b.php', 'lib/c.php', 'lib/new.php', 'm.txt']);
    t.same(target.manifest.toEntries().find((entry) => entry.path === 'a.php'), file('a.php', 6), 'the changed entry replaces the base one');
    t.same(target.delta, { added: body.added, changed: body.changed, removed: ['z.txt'] });
    t.same(checkDeltaTarget(base, { added: [], changed: [], removed: [] }).manifest.toEntries(), baseEntries, 'an empty delta is the base');
});
t.test('a body that is not a delta is INVALID_DELTA', async (t) => {
    for (const body of [null, 'delta', [], {}, { added: [], changed: [] }, { added: {}, changed: [], removed: [] }]) {
        t.throws(() => checkDeltaTarget(base, body), { code: 'INVALID_DELTA' }, JSON.stringify(body));
    }
});
t.test('a delta that does not fit its base is refused before any file is touched', async (t) => {
    t.throws(() => checkDeltaTarget(base, { added: [], changed: [], removed: ['gone.txt'] }), { code: 'INVALID_DELTA', message: /removes "gone.txt", which the base does not hold/ });
    t.throws(() => checkDeltaTarget(base, { added: [], changed: [file('gone.txt', 1)], removed: [] }), { code: 'INVALID_DELTA', message: /changes "gone.txt"/ });
    t.throws(() => checkDeltaTarget(base, { added: [file('a.php', 9)], changed: [], removed: [] }), { code: 'INVALID_DELTA', message: /adds "a.php", which the base already holds/ });
});
t.test('each element is checked as a publish checks it', async (t) => {
    t.throws(() => checkDeltaTarget(base, { added: [], changed: [], removed: ['../etc/passwd'] }), { name: 'CodesyncError' }, 'a removed path leaving the tree');
    t.throws(() => checkDeltaTarget(base, { added: [{ path: 'x', type: 'file', mode: 0o644, size: 1, sha256: 'nothex' }], changed: [], removed: [] }), { name: 'CodesyncError' }, 'a bad sha256');
    t.throws(() => checkDeltaTarget(base, { added: [{ path: 'dev', type: 'chardev', mode: 0o644 }], changed: [], removed: [] }), { name: 'CodesyncError' }, 'a type no manifest has');
});
t.test('what only the whole target shows: a file under a base symlink, a link leaving the tree', async (t) => {
    t.throws(() => checkDeltaTarget(base, { added: [file('lib/c.php/inside.php', 7)], changed: [], removed: [] }), { name: 'CodesyncError' }, 'a file below a symlink of the base');
    t.throws(() => checkDeltaTarget(base, { added: [link('out', '../../etc')], changed: [], removed: [] }), { name: 'CodesyncError' }, 'a symlink out of the tree');
    t.same(checkDeltaTarget(base, { added: [link('out', '/etc/php')], changed: [], removed: [] }, { externalSymlinks: true }).manifest.toEntries().map((entry) => entry.path), ['a.php', 'lib', 'lib/b.php', 'lib/c.php', 'out', 'z.txt'], 'unless the app allows external links');
});
// Files with real hashes, for the digest of a target against the same tree built whole.
const hashedFile = (path, text = path) => ({ path, type: 'file', mode: 0o644, size: Buffer.byteLength(text), sha256: sha256Hex(text) });
const validBase = (entries) => CompactManifest.fromSorted(validateManifest(entries, { externalSymlinks: true }));
t.test('a files-only delta is checked by lookups, with the rules of a whole check', async (t) => {
    const tree = validBase([hashedFile('a/x.php'), hashedFile('b.php'), { path: 'link', type: 'symlink', mode: 0o777, target: 'a' }]);
    const changed = checkDeltaTarget(tree, { added: [hashedFile('a/new.php')], changed: [hashedFile('b.php', 'v2')], removed: ['a/x.php'] }, {}, true);
    t.same(changed.manifest.toEntries().map((entry) => entry.path), ['a/new.php', 'b.php', 'link'], 'the target holds the delta');
    t.equal(changed.manifest.digest(), validBase([hashedFile('a/new.php'), hashedFile('b.php', 'v2'), { path: 'link', type: 'symlink', mode: 0o777, target: 'a' }]).digest(), 'and hashes as the same tree built whole');
    t.throws(() => checkDeltaTarget(tree, { added: [hashedFile('link/evil.php')], changed: [], removed: [] }, {}, true), { code: 'PATH_CONFLICT' }, 'a file beneath a symlink');
    t.throws(() => checkDeltaTarget(tree, { added: [hashedFile('b.php/evil.php')], changed: [], removed: [] }, {}, true), { code: 'PATH_CONFLICT' }, 'a file beneath a file');
    t.throws(() => checkDeltaTarget(tree, { added: [hashedFile('a')], changed: [], removed: [] }, {}, true), { code: 'PATH_CONFLICT' }, 'a file above other entries');
    t.throws(() => checkDeltaTarget(tree, { added: [hashedFile('b.php')], changed: [], removed: [] }, {}, true), { code: 'INVALID_DELTA' }, 'a file the base holds');
});
t.test('a base holding an external link is checked whole once the app refuses them', async (t) => {
    const tree = validBase([hashedFile('a.php'), { path: 'out', type: 'symlink', mode: 0o777, target: '/etc' }]);
    t.throws(() => checkDeltaTarget(tree, { added: [hashedFile('b.php')], changed: [], removed: [] }, {}, false), { code: 'INVALID_SYMLINK' }, 'the external link is refused');
    t.doesNotThrow(() => checkDeltaTarget(tree, { added: [hashedFile('b.php')], changed: [], removed: [] }, { externalSymlinks: true }, false), 'and kept while the app allows them');
    t.throws(() => checkDeltaTarget(tree, { added: [{ path: 'loop', type: 'symlink', mode: 0o777, target: 'loop' }], changed: [], removed: [] }, { externalSymlinks: true }, true), { code: 'INVALID_SYMLINK' }, 'a delta adding a symlink is checked whole');
});
//# sourceMappingURL=target-manifest.unit.js.map