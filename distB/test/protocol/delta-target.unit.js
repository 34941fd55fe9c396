import t from 'tap';
import { CompactManifest } from '../../protocol/compact-manifest.js';
import { applyCheckedDelta } from '../../protocol/delta-target.js';
import { validateManifest } from '../../protocol/manifest.js';
const sha = (n) => n.toString(16).padStart(64, '0');
const file = (path, n) => ({ path, type: 'file', mode: 0o644, size: n, sha256: sha(n) });
const dir = (path) => ({ path, type: 'dir', mode: 0o755 });
const link = (path, target) => ({ path, type: 'symlink', mode: 0o777, target });
const manifest = (entries) => CompactManifest.fromSorted(validateManifest(entries));
const none = { added: [], changed: [], removed: [] };
t.test('a files-only delta is checked by lookups and gives the tree a whole check gives', async (t) => {
    const base = manifest([file('a.php', 1), dir('lib'), file('lib/b.php', 2), file('z.txt', 3)]);
    const target = applyCheckedDelta(base, { added: [file('lib/new.php', 4)], changed: [file('a.php', 5)], removed: ['z.txt'] });
    t.equal(target.checkedWhole, false, 'no whole check');
    t.equal(target.manifest.digest(), manifest([file('a.php', 5), dir('lib'), file('lib/b.php', 2), file('lib/new.php', 4)]).digest());
});
t.test('a files-only delta that breaks the tree rules is refused by lookup', async (t) => {
    const base = manifest([file('a.php', 1), dir('lib'), file('lib/b.php', 2), link('web', 'lib')]);
    const add = (entry) => () => applyCheckedDelta(base, { ...none, added: [entry] }, {}, true);
    t.throws(add(file('a.php/x', 1)), { code: 'PATH_CONFLICT' }, 'beneath a file');
    t.throws(add(file('web/x.php', 1)), { code: 'PATH_CONFLICT' }, 'beneath a symlink');
    t.throws(add(file('lib', 1)), { code: 'INVALID_DELTA' }, 'over a path the base holds');
    t.throws(add(file('lib/b.php/deeper', 1)), { code: 'PATH_CONFLICT' }, 'beneath a file deeper down');
    const implied = manifest([file('src/app/a.php', 1)]);
    t.throws(() => applyCheckedDelta(implied, { ...none, added: [file('src', 2)] }), { code: 'PATH_CONFLICT' }, 'a file over an implied directory');
    t.equal(applyCheckedDelta(base, { ...none, changed: [file('web', 3)] }, {}, true).checkedWhole, true, 'a symlink turned into a file is checked whole');
});
t.test('what a files-only delta cannot show is checked whole', async (t) => {
    const external = [file('a.php', 1), link('out', '/etc')];
    const base = CompactManifest.fromSorted(validateManifest(external, { externalSymlinks: true }));
    t.throws(() => applyCheckedDelta(base, { ...none, added: [file('b.php', 2)] }), { code: 'INVALID_SYMLINK' }, 'a base not known to pass the rules, holding a link: whole, and the link is refused');
    t.equal(applyCheckedDelta(base, { ...none, added: [file('b.php', 2)] }, { externalSymlinks: true }).checkedWhole, false, 'rules allowing external links: lookups suffice');
    t.equal(applyCheckedDelta(base, { ...none, added: [file('b.php', 2)] }, {}, true).checkedWhole, false, 'a base known to pass: lookups suffice');
    const plain = manifest([file('a.php', 1)]);
    t.throws(() => applyCheckedDelta(plain, { ...none, added: [link('up', '../../etc')] }, {}, true), { code: 'INVALID_SYMLINK' }, 'a delta adding a symlink is checked whole');
    t.equal(applyCheckedDelta(plain, { ...none, added: [dir('d')] }, {}, true).checkedWhole, true, 'a delta adding a directory is checked whole');
});
t.test('a delta checked whole gives what validateManifest gives over the target entries: the tree, or the same error', async (t) => {
    const base = manifest([file('a.php', 1), dir('lib'), file('lib/b.php', 2), link('lib/c.php', 'b.php'), file('z.txt', 3)]);
    const deltas = [
        ['a directory added', [dir('d'), file('d/x', 4)], []],
        ['a link added, resolving inside', [link('up', 'lib/b.php')], []],
        ['a link out of the tree', [link('out', '../../etc')], []],
        ['a link loop', [link('l1', 'l2'), link('l2', 'l1')], []],
        ['a file under a link', [link('web', 'lib'), file('web/x', 5)], []],
        ['a link removed that another resolved through', [link('via', 'lib/c.php')], ['lib/b.php']],
        ['a directory over a file', [dir('z.txt/inner')], []],
    ];
    for (const [what, added, removed] of deltas) {
        const outcome = (check) => {
            try {
                return check();
            }
            catch (err) {
                return { code: err.code, message: err.message };
            }
        };
        const delta = { added, changed: [], removed };
        const whole = outcome(() => validateManifest(base.applyDelta(delta).toEntries()));
        const target = outcome(() => {
            const checked = applyCheckedDelta(base, delta, {}, true);
            t.equal(checked.checkedWhole, true, `${what}: checked whole`);
            return checked.manifest.toEntries();
        });
        t.same(target, whole, what);
    }
});
//# sourceMappingURL=delta-target.unit.js.map