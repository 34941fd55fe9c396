import t from 'tap';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfinedDir } from '../../agent/sync/confined-path.js';
import { ObjectLayout } from '../../agent/cache/layout.js';
import { ObjectCache } from '../../agent/cache/object-cache.js';
import { applyDelta } from '../../agent/sync/tree-builder.js';
import { checkTree } from '../../agent/sync/tree-check.js';
import { CompactManifest } from '../../protocol/compact-manifest.js';
import { snapshot, tempDir } from './fixtures.js';
// The runtime guard on real directories: a tree whose directory was swapped for a symlink (behind
// the agent's back) is never written, removed or read through.
async function victimNextTo(base) {
    const victim = join(base, 'victim');
    await mkdir(victim);
    await writeFile(join(victim, 'secret.txt'), 'do not touch\n');
    return victim;
}
t.test('a path with a symlinked parent is refused; valid paths and missing parents pass', async (t) => {
    const base = tempDir(t);
    const victim = await victimNextTo(base);
    const tree = join(base, 'tree');
    await mkdir(join(tree, 'real/deeper'), { recursive: true });
    await symlink(victim, join(tree, 'link'));
    await writeFile(join(tree, 'file'), 'x');
    const guard = new ConfinedDir(tree);
    t.equal(await guard.resolve('real/deeper/x.txt'), join(tree, 'real/deeper/x.txt'));
    t.equal(await guard.resolve('missing/parent/x.txt'), join(tree, 'missing/parent/x.txt'), 'parents yet to be made are fine');
    await t.rejects(guard.resolve('link/secret.txt'), { code: 'UNSAFE_PATH', message: /parent "link" is a symlink/ });
    await t.rejects(guard.resolve('file/x'), { code: 'UNSAFE_PATH', message: /not a directory/ });
    await t.rejects(guard.resolve('../victim/secret.txt'), { code: 'UNSAFE_PATH' });
    await t.rejects(guard.resolve('/etc/passwd'), { code: 'UNSAFE_PATH' });
    await t.rejects(guard.resolve('real/../../victim'), { code: 'UNSAFE_PATH' });
    // A directory checked once, then swapped for a link: refused again once forgotten.
    await rm(join(tree, 'real'), { recursive: true });
    await symlink(victim, join(tree, 'real'));
    guard.forget('real');
    await t.rejects(guard.resolve('real/deeper/x.txt'), { code: 'UNSAFE_PATH' });
});
t.test('applying a delta to a tree whose directory became a symlink touches nothing outside it', async (t) => {
    const base = tempDir(t);
    const victim = await victimNextTo(base);
    const before = await snapshot(victim);
    const tree = join(base, 'spare');
    await mkdir(tree);
    await symlink(victim, join(tree, 'dir'));
    const cache = new ObjectCache(new ObjectLayout(join(base, 'objects')));
    await cache.init();
    const signal = new AbortController().signal;
    await t.rejects(applyDelta(tree, { added: [], changed: [], removed: ['dir/secret.txt'] }, cache, signal), { code: 'UNSAFE_PATH' }, 'a removal through the link is refused');
    const file = { path: 'dir/new.txt', type: 'file', mode: 0o644, size: 0, sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' };
    await t.rejects(applyDelta(tree, { added: [file], changed: [], removed: [] }, cache, signal), { code: 'UNSAFE_PATH' }, 'a write through the link is refused');
    t.same(await snapshot(victim), before, 'the directory the link points at is unchanged');
    t.equal(await readFile(join(victim, 'secret.txt'), 'utf8'), 'do not touch\n');
});
t.test('checking a tree never follows a symlink: a link to / is one extra entry, a linked parent is drift', async (t) => {
    const base = tempDir(t);
    const victim = await victimNextTo(base);
    const tree = join(base, 'current');
    await mkdir(tree);
    await symlink('/', join(tree, 'root'));
    await symlink(victim, join(tree, 'dir'));
    const entries = [{ path: 'dir/secret.txt', type: 'file', mode: 0o644, size: 13, sha256: 'a'.repeat(64) }];
    const problems = await checkTree(tree, CompactManifest.fromSorted(entries), { hash: true, signal: new AbortController().signal });
    t.same(problems.map(({ path, kind }) => ({ path, kind })).sort((a, b) => (a.path < b.path ? -1 : 1)), [
        { path: 'dir/secret.txt', kind: 'type' },
        { path: 'root', kind: 'extra' },
    ], 'the file behind a linked parent is reported, not hashed through the link; / is not walked');
});
//# sourceMappingURL=confined-path.unit.js.map