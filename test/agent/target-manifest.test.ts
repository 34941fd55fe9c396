import t from 'tap';
import { checkDeltaTarget } from '../../agent/sync/target-manifest.js';
import { CompactManifest } from '../../protocol/compact-manifest.js';
import { validateManifest, type ManifestEntry } from '../../protocol/manifest.js';
import { sha256Hex } from '../../protocol/sha256.js';

const file = (path: string, text = path): ManifestEntry => ({ path, type: 'file', mode: 0o644, size: Buffer.byteLength(text), sha256: sha256Hex(text) });
const base = (entries: ManifestEntry[]) => CompactManifest.fromSorted(validateManifest(entries, { externalSymlinks: true }));

t.test('a files-only delta is checked by lookups, with the rules of a whole check', async (t) => {
  const tree = base([file('a/x.php'), file('b.php'), { path: 'link', type: 'symlink', mode: 0o777, target: 'a' }]);
  const changed = checkDeltaTarget(tree, { added: [file('a/new.php')], changed: [file('b.php', 'v2')], removed: ['a/x.php'] }, {}, true);
  t.same(changed.manifest.toEntries().map((entry) => entry.path), ['a/new.php', 'b.php', 'link'], 'the target holds the delta');
  t.equal(changed.manifest.digest(), base([file('a/new.php'), file('b.php', 'v2'), { path: 'link', type: 'symlink', mode: 0o777, target: 'a' }]).digest(), 'and hashes as the same tree built whole');
  t.throws(() => checkDeltaTarget(tree, { added: [file('link/evil.php')], changed: [], removed: [] }, {}, true), { code: 'PATH_CONFLICT' }, 'a file beneath a symlink');
  t.throws(() => checkDeltaTarget(tree, { added: [file('b.php/evil.php')], changed: [], removed: [] }, {}, true), { code: 'PATH_CONFLICT' }, 'a file beneath a file');
  t.throws(() => checkDeltaTarget(tree, { added: [file('a')], changed: [], removed: [] }, {}, true), { code: 'PATH_CONFLICT' }, 'a file above other entries');
  t.throws(() => checkDeltaTarget(tree, { added: [file('b.php')], changed: [], removed: [] }, {}, true), { code: 'INVALID_DELTA' }, 'a file the base holds');
});

t.test('a base holding an external link is checked whole once the app refuses them', async (t) => {
  const tree = base([file('a.php'), { path: 'out', type: 'symlink', mode: 0o777, target: '/etc' }]);
  t.throws(() => checkDeltaTarget(tree, { added: [file('b.php')], changed: [], removed: [] }, {}, false), { code: 'INVALID_SYMLINK' }, 'the external link is refused');
  t.doesNotThrow(() => checkDeltaTarget(tree, { added: [file('b.php')], changed: [], removed: [] }, { externalSymlinks: true }, false), 'and kept while the app allows them');
  t.throws(() => checkDeltaTarget(tree, { added: [{ path: 'loop', type: 'symlink', mode: 0o777, target: 'loop' }], changed: [], removed: [] }, { externalSymlinks: true }, true), { code: 'INVALID_SYMLINK' }, 'a delta adding a symlink is checked whole');
});
