import t from 'tap';
import { lstat, mkdir, readlink, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ObjectLayout } from '../../../agent/cache/layout.js';
import { cloneThreadsGone, cloneTree } from '../../../agent/sync/tree-clone.js';
import { CompactManifest } from '../../../protocol/compact-manifest.js';
import { sha256Hex } from '../../../protocol/sha256.js';
/** Objects in a cache layout and a manifest naming them: a file at two modes, a dir, a symlink. */
async function fixture(root) {
    const objects = new ObjectLayout(join(root, 'objects'));
    const entries = [];
    const body = (n) => `file ${n}\n`;
    const put = async (path, n, mode) => {
        const sha256 = sha256Hex(Buffer.from(body(n)));
        const object = objects.objectPath(sha256, mode);
        await mkdir(dirname(object), { recursive: true });
        await writeFile(object, body(n), { mode });
        entries.push({ path, type: 'file', mode, size: body(n).length, sha256 });
    };
    await put('a.txt', 1, 0o644);
    entries.push({ path: 'bin', type: 'dir', mode: 0o750 });
    await put('bin/run', 2, 0o755);
    entries.push({ path: 'bin/run-link', type: 'symlink', mode: 0o777, target: 'run' });
    await put('deep/er/c.txt', 3, 0o644);
    return { objects, manifest: CompactManifest.fromSorted(entries) };
}
t.test('the clone thread builds the whole tree: files linked from the cache, dirs with their modes, symlinks', async (t) => {
    const root = t.testdir();
    const { objects, manifest } = await fixture(root);
    const dir = join(root, 'spare');
    await cloneTree(dir, manifest, objects, new AbortController().signal);
    for (const entry of manifest) {
        const at = join(dir, entry.path);
        if (entry.type === 'file')
            t.equal((await stat(at)).ino, (await stat(objects.objectPath(entry.sha256, entry.mode))).ino, `${entry.path} is a hardlink of its object`);
        else if (entry.type === 'symlink')
            t.equal(await readlink(at), entry.target, `${entry.path} points at ${entry.target}`);
        else
            t.equal((await lstat(at)).mode & 0o777, entry.mode, `${entry.path} has mode ${entry.mode.toString(8)}`);
    }
    t.equal((await lstat(join(dir, 'deep/er'))).mode & 0o777, 0o755, 'an implied parent gets the implied mode');
});
t.test('a clone fails with the filesystem error, code kept; an aborted one never starts', async (t) => {
    const root = t.testdir();
    const { objects, manifest } = await fixture(root);
    await mkdir(join(root, 'taken'));
    await t.rejects(cloneTree(join(root, 'taken'), manifest, new ObjectLayout(join(root, 'no-objects')), new AbortController().signal), { code: 'ENOENT' }, 'objects missing: ENOENT');
    const aborted = new AbortController();
    aborted.abort(new Error('stopping'));
    await t.rejects(cloneTree(join(root, 'never'), manifest, objects, aborted.signal), { message: 'stopping' });
    await t.rejects(lstat(join(root, 'never')), { code: 'ENOENT' }, 'nothing was built');
});
t.test('a clone told to hurry (a sync waits for it) completes the same tree, hurried before or while it runs', async (t) => {
    const root = t.testdir();
    const { objects, manifest } = await fixture(root);
    const early = new AbortController();
    early.abort();
    await cloneTree(join(root, 'early'), manifest, objects, new AbortController().signal, early.signal);
    const late = new AbortController();
    const cloning = cloneTree(join(root, 'late'), manifest, objects, new AbortController().signal, late.signal);
    late.abort();
    await cloning;
    for (const tree of ['early', 'late'])
        t.equal(await readlink(join(root, tree, 'bin/run-link')), 'run', `${tree}: the tree is whole`);
});
t.test('clones asked for one after the other, low or hurried, each make their whole tree, and the thread is gone when asked', async (t) => {
    const root = t.testdir();
    const { objects, manifest } = await fixture(root);
    const hurried = new AbortController();
    hurried.abort();
    await cloneTree(join(root, 'spare'), manifest, objects, new AbortController().signal);
    await cloneTree(join(root, 'reserve-0'), manifest, objects, new AbortController().signal);
    await cloneTree(join(root, 'hurried'), manifest, objects, new AbortController().signal, hurried.signal);
    await cloneTree(join(root, 'reserve-1'), manifest, objects, new AbortController().signal);
    for (const tree of ['spare', 'reserve-0', 'hurried', 'reserve-1'])
        t.equal(await readlink(join(root, tree, 'bin/run-link')), 'run', `${tree}: the tree is whole`);
    await cloneThreadsGone();
    await cloneTree(join(root, 'after'), manifest, objects, new AbortController().signal);
    t.equal(await readlink(join(root, 'after', 'bin/run-link')), 'run', 'a clone after the thread ended gets a new one');
    await cloneThreadsGone();
});
//# sourceMappingURL=tree-clone.test.js.map