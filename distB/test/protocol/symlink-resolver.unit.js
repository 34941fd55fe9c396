import t from 'tap';
import { mulberry32 as prng } from '../helpers/seeded-random.js';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LIMITS } from '../../protocol/limits.js';
import { validateManifest } from '../../protocol/manifest.js';
import { NODE_KIND, PathTree } from '../../protocol/path-tree.js';
import { EMPTY_SHA256 } from '../../protocol/sha256.js';
import { SymlinkResolver } from '../../protocol/symlink-resolver.js';
const file = (path) => ({ path, type: 'file', mode: 0o644, size: 0, sha256: EMPTY_SHA256 });
const dir = (path) => ({ path, type: 'dir', mode: 0o755 });
const link = (path, target) => ({ path, type: 'symlink', mode: 0o777, target });
/** Eight nested dirs and a link at the bottom that climbs exactly to the root: harmless alone. */
const DEEP = 'a/b/c/d/e/f/g/h';
const toRoot = link(`${DEEP}/r`, '../../../../../../../..');
t.test('links inside the tree pass, through other links too', async (t) => {
    const entries = [
        file('b'),
        dir('a'),
        link('a/l', '../b'),
        link('a/self-dir', '.'),
        link('up', 'a/..'),
        toRoot,
        link('via-root', `${DEEP}/r/b`),
        link('via-two', 'up/a/l'),
        link('dangling', 'nowhere/x'),
        link('deep-dangling', 'nowhere/../a/../b'),
        link('trailing', 'a/'),
    ];
    t.equal(validateManifest(entries).length, entries.length);
});
t.test('chains of harmless-looking links that climb above the root are refused', async (t) => {
    const cases = [
        ['one level above, through a link to the root', [dir('x'), link('x/up', '..'), link('z', 'x/up/..')], /"z" -> "x\/up\/\.\." resolves outside the tree/],
        ['to / through a link to the root, every target inside the tree as text', [toRoot, link(`${DEEP}/s`, `r/${'../'.repeat(8)}`)], /"a\/b\/c\/d\/e\/f\/g\/h\/s".*resolves outside the tree/],
        ['through a chain of three links', [dir('p/q'), link('p/q/top', '../..'), link('p/mid', 'q/top'), link('p/out', 'mid/..')], /"p\/out" -> "mid\/\.\." resolves outside/],
        ['through a link to a file, then up', [file('f'), link('l', 'f'), link('m', 'l/../..')], /"m"/],
        ['through a missing name, then up', [link('m', 'missing/../..')], /"m"/],
        ['absolute', [link('l', '/etc')], /"l" -> "\/etc" is absolute/],
        ['plainly above the root', [link('d/l', '../../x')], /"d\/l"/],
    ];
    for (const [name, entries, message] of cases)
        t.throws(() => validateManifest(entries), { code: 'INVALID_SYMLINK', message }, name);
});
t.test('loops and over-long chains are refused like the kernel refuses them (ELOOP)', async (t) => {
    t.throws(() => validateManifest([link('a', 'a')]), { code: 'INVALID_SYMLINK', message: /loop/ }, 'a link to itself');
    t.throws(() => validateManifest([link('a', 'b'), link('b', 'c/x'), dir('c'), link('c/x', '../a')]), { code: 'INVALID_SYMLINK', message: /loop/ }, 'a loop of three');
    t.throws(() => validateManifest([dir('d'), link('d/l', '../d/l/x')]), { code: 'INVALID_SYMLINK', message: /loop/ }, 'a link through itself');
    const chain = (links) => [file('end'), ...Array.from({ length: links }, (_, i) => link(`l${i}`, i === links - 1 ? 'end' : `l${i + 1}`))];
    t.doesNotThrow(() => validateManifest(chain(LIMITS.maxSymlinkFollows)), `${LIMITS.maxSymlinkFollows} links in a row resolve`);
    t.throws(() => validateManifest(chain(LIMITS.maxSymlinkFollows + 1)), { code: 'INVALID_SYMLINK', message: /more than 40/ }, 'one more is refused');
    // Fan-out: each link passes twice through the one before it; the nesting is shallow, the
    // follows double at each level, as the kernel counts them.
    const doubling = [dir('d'), link('d/x0', '.'), ...Array.from({ length: 8 }, (_, i) => link(`d/x${i + 1}`, `x${i}/x${i}`))];
    t.throws(() => validateManifest(doubling), { code: 'INVALID_SYMLINK', message: /more than 40 symlinks/ }, 'follows are counted across nested links');
    t.doesNotThrow(() => validateManifest(doubling.slice(0, 6)), '1 + 2 + 4 + 8 + 16 = 31 follows pass');
    const deep = Array.from({ length: 5000 }, (_, i) => link(`l${i}`, `l${i + 1}`));
    t.throws(() => validateManifest([...deep, file('l5000')]), { code: 'INVALID_SYMLINK', message: /more than 40/ }, 'a 5000-link chain is refused without deep recursion');
});
t.test('external links: refused by default, kept when allowed, never resolved through', async (t) => {
    const shared = [dir('public'), link('public/storage', '/var/www/shared/storage'), link('logs', '../../shared/logs')];
    t.throws(() => validateManifest(shared), { code: 'INVALID_SYMLINK', message: /externalSymlinks/ }, 'refused by default, the message says how to allow it');
    t.equal(validateManifest(shared, { externalSymlinks: true }).length, 3, 'allowed: stored verbatim');
    const kept = validateManifest(shared, { externalSymlinks: true }).find((e) => e.path === 'public/storage');
    t.equal(kept.target, '/var/www/shared/storage', 'target kept verbatim');
    const allow = { externalSymlinks: true };
    t.throws(() => validateManifest([...shared, link('via', 'public/storage/x')], allow), { code: 'INVALID_SYMLINK', message: /"via".*through the external symlink "public\/storage"/ }, 'a link through an external link');
    t.throws(() => validateManifest([...shared, link('alias', 'logs')], allow), { code: 'INVALID_SYMLINK', message: /through the external symlink "logs"/ }, 'a link to an external link');
    t.throws(() => validateManifest([...shared, file('public/storage/app.log')], allow), { code: 'PATH_CONFLICT' }, 'an entry beneath an external link');
    t.throws(() => validateManifest([link('a', 'a')], allow), { code: 'INVALID_SYMLINK', message: /loop/ }, 'loops stay refused');
    const tree = new PathTree();
    const storage = tree.add('storage', NODE_KIND.symlink, '/srv/shared');
    const inner = tree.add('inner', NODE_KIND.symlink, 'x');
    const resolver = new SymlinkResolver(tree, allow);
    t.ok(resolver.isExternal(storage));
    t.notOk(resolver.isExternal(inner));
});
t.test('structure: duplicates and entries beneath files or links, whatever the order', async (t) => {
    t.throws(() => validateManifest([file('a/b'), file('a')]), { code: 'PATH_CONFLICT' }, 'file added after an entry beneath it');
    t.throws(() => validateManifest([file('a/b/c'), link('a/b', '.')]), { code: 'PATH_CONFLICT' }, 'link added after an entry beneath it');
    t.throws(() => validateManifest([dir('a'), dir('a')]), { code: 'DUPLICATE_PATH' });
    t.throws(() => validateManifest([file('x/y'), dir('x'), file('x/y')]), { code: 'DUPLICATE_PATH' });
    t.doesNotThrow(() => validateManifest([file('x/y/z'), dir('x'), dir('x/y')]), 'a dir listed after its children');
});
// The kernel is the reference: random small trees are built on disk, 6 levels below the scratch
// dir, and whatever the resolver accepts must resolve (realpath(3), where it resolves at all)
// inside the tree; whatever the kernel finds outside or looping must have been refused.
t.test('agrees with the kernel on random trees', async (t) => {
    const scratch = t.testdir({});
    const random = prng(7);
    const pick = (items) => items[Math.floor(random() * items.length)];
    const names = ['a', 'b', 'c'];
    let accepted = 0;
    let refused = 0;
    for (let round = 0; round < 300; round++) {
        const root = join(scratch, String(round), 'p1', 'p2', 'p3', 'p4', 'release');
        mkdirSync(root, { recursive: true });
        const entries = [];
        const dirs = [''];
        for (let i = 0; i < 6; i++) {
            const parent = pick(dirs);
            const path = parent ? `${parent}/${names[i % 3]}${i}` : `${names[i % 3]}${i}`;
            const roll = random();
            if (roll < 0.35) {
                entries.push(dir(path));
                dirs.push(path);
            }
            else if (roll < 0.5)
                entries.push(file(path));
            else {
                const parts = Array.from({ length: 1 + Math.floor(random() * 4) }, () => (random() < 0.4 ? '..' : pick([...names.map((n, k) => `${n}${k}`), ...names.map((n, k) => `${n}${k + 3}`), '.'])));
                entries.push(link(path, parts.join('/')));
            }
        }
        for (const entry of entries) {
            const absolute = join(root, entry.path);
            if (entry.type === 'dir')
                mkdirSync(absolute, { recursive: true });
            else {
                mkdirSync(join(absolute, '..'), { recursive: true });
                if (entry.type === 'file')
                    writeFileSync(absolute, '');
                else
                    symlinkSync(entry.target, absolute);
            }
        }
        let verdict;
        try {
            validateManifest(entries);
            verdict = 'accepted';
            accepted++;
        }
        catch (err) {
            verdict = err;
            refused++;
        }
        for (const entry of entries) {
            if (entry.type !== 'symlink')
                continue;
            let real;
            try {
                real = realpathSync.native(join(root, entry.path));
            }
            catch (err) {
                const code = err.code;
                if (code === 'ELOOP' && verdict === 'accepted')
                    t.fail(`round ${round}: kernel loops on ${entry.path}, resolver accepted ${JSON.stringify(entries)}`);
                continue;
            }
            const inside = !relative(root, real).startsWith('..');
            if (!inside && verdict === 'accepted')
                t.fail(`round ${round}: ${entry.path} resolves to ${real}, resolver accepted ${JSON.stringify(entries)}`);
        }
    }
    t.ok(accepted > 50 && refused > 50, `both outcomes are exercised (${accepted} accepted, ${refused} refused)`);
});
//# sourceMappingURL=symlink-resolver.unit.js.map