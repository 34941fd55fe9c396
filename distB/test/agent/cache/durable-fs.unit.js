import t from 'tap';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileDurably } from '../../../agent/cache/durable-fs.js';
t.test('writeFileDurably writes the whole file, replaces an old one, makes a missing directory, and leaves no temp file', async (t) => {
    const root = await mkdtemp(join(tmpdir(), 'codesync-durable-'));
    t.teardown(() => rm(root, { recursive: true, force: true }));
    const path = join(root, 'manifests', '7.delta.json');
    await writeFileDurably(path, '{"seq":7}');
    t.equal(await readFile(path, 'utf8'), '{"seq":7}', 'made its directory and wrote it');
    const big = Buffer.alloc(3 * 1024 * 1024, 0x61);
    await writeFileDurably(path, big);
    t.ok((await readFile(path)).equals(big), 'replaced whole');
    t.same(await readdir(join(root, 'manifests')), ['7.delta.json'], 'no temp file left');
});
t.test('a write that fails leaves the old file and no temp file', { skip: process.getuid?.() === 0 ? 'root writes anywhere' : false }, async (t) => {
    const root = await mkdtemp(join(tmpdir(), 'codesync-durable-'));
    t.teardown(async () => {
        await chmod(join(root, 'ro'), 0o755).catch(() => { });
        await rm(root, { recursive: true, force: true });
    });
    await mkdir(join(root, 'ro'));
    await writeFile(join(root, 'ro', 'state.json'), 'old');
    await chmod(join(root, 'ro'), 0o555);
    await t.rejects(writeFileDurably(join(root, 'ro', 'state.json'), 'new'), { code: 'EACCES' });
    t.equal(await readFile(join(root, 'ro', 'state.json'), 'utf8'), 'old', 'the old content stays');
    t.same(await readdir(join(root, 'ro')), ['state.json'], 'no temp file left');
});
//# sourceMappingURL=durable-fs.unit.js.map