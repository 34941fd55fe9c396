import t, {} from 'tap';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobWriter } from '../../../server/store/blob-writer.js';
/** A store-like scratch directory: `root` for blobs (and unnamed files), `tmp` for temp files. */
function scratch(t, options = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'codesync-blob-writer-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const root = join(dir, 'root');
    const tmp = join(dir, 'tmp');
    if (options.root !== false)
        mkdirSync(root);
    mkdirSync(tmp);
    const writer = new BlobWriter(root, tmp, 4);
    t.teardown(() => writer.close());
    return { root, tmp, writer };
}
const files = (dir) => readdirSync(dir, { recursive: true }).map(String).sort();
t.test('many writes in one turn become durable and are placed under their names, byte for byte', async (t) => {
    const { root, tmp, writer } = scratch(t);
    // Views into one bigger buffer, as tar entries are: only each view's bytes reach its file.
    const pool = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz');
    const parts = [...Array.from({ length: 300 }, (_, i) => pool.subarray(i % 30, (i % 30) + 1 + (i % 5))), new Uint8Array(0)];
    const staged = parts.map((bytes) => writer.write(bytes));
    await Promise.all(staged.map((write) => write.durable));
    t.same(files(root), [], 'nothing is named before the place');
    t.same(files(tmp), [], 'nor any temp file: the staged files are unnamed');
    const targets = parts.map((_, i) => join(root, `p${i % 7}`, `blob-${i}`));
    const created = await writer.place(staged.map((write, i) => ({ ref: write.ref, target: targets[i], stagedAt: Date.now() })));
    t.ok(created.every(Boolean), 'every blob is new');
    t.ok(parts.every((bytes, i) => readFileSync(targets[i]).equals(bytes)), 'each file holds its bytes (an empty blob an empty file)');
    t.equal(statSync(targets[0]).mode & 0o777, 0o644 & ~process.umask());
});
t.test('place: a blob already there is not new, and keeps its first copy; its staged file is let go', async (t) => {
    const { root, writer } = scratch(t);
    const first = writer.write(Buffer.from('first'));
    const second = writer.write(Buffer.from('second'));
    await Promise.all([first.durable, second.durable]);
    const target = join(root, 'aa', 'blob');
    const staleAt = Date.now() - 3_600_000;
    t.same(await writer.place([{ ref: first.ref, target, stagedAt: staleAt }]), [true]);
    t.ok(Date.now() - statSync(target).mtimeMs < 600_000, 'a blob staged long ago is placed with a fresh mtime');
    t.same(await writer.place([{ ref: second.ref, target, stagedAt: Date.now() }]), [false]);
    t.equal(readFileSync(target, 'utf8'), 'first');
    await t.rejects(writer.place([{ ref: second.ref, target: join(root, 'bb', 'x'), stagedAt: Date.now() }]), /not held/, 'a placed blob is no longer held');
});
t.test('a temp file staged elsewhere is placed the same, its temp name removed', async (t) => {
    const { root, tmp, writer } = scratch(t);
    const temp = join(tmp, 'streamed');
    writeFileSync(temp, 'streamed bytes');
    const target = join(root, 'cc', 'blob');
    t.same(await writer.place([{ ref: temp, target, stagedAt: Date.now() }]), [true]);
    t.equal(readFileSync(target, 'utf8'), 'streamed bytes');
    t.same(files(tmp), []);
    await t.rejects(writer.place([{ ref: join(tmp, 'gone'), target: join(root, 'dd', 'x'), stagedAt: Date.now() }]), { code: 'ENOENT' }, 'a temp file that is gone fails the place');
});
t.test('where unnamed files cannot be made, staged blobs are temp files, placed and dropped the same', async (t) => {
    const { root, tmp, writer } = scratch(t, { root: false });
    const kept = writer.write(Buffer.from('kept'));
    const dropped = writer.write(Buffer.from('dropped'));
    await Promise.all([kept.durable, dropped.durable]);
    t.equal(files(tmp).length, 2, 'both are temp files until placed');
    await writer.drop([dropped.ref]);
    t.equal(files(tmp).length, 1, 'a dropped one is removed');
    mkdirSync(root);
    t.same(await writer.place([{ ref: kept.ref, target: join(root, 'ee', 'blob'), stagedAt: Date.now() }]), [true]);
    t.equal(readFileSync(join(root, 'ee', 'blob'), 'utf8'), 'kept');
    t.same(files(tmp), [], 'no temp file left');
});
t.test('a place that fails lets every staged file of it go and rejects with the errno code; the writer goes on', async (t) => {
    const { root, writer } = scratch(t);
    writeFileSync(join(root, 'file'), 'not a directory');
    const staged = [writer.write(Buffer.from('a')), writer.write(Buffer.from('b'))];
    await Promise.all(staged.map((write) => write.durable));
    await t.rejects(writer.place(staged.map((write, i) => ({ ref: write.ref, target: join(root, 'file', `blob-${i}`), stagedAt: Date.now() }))), { code: 'ENOTDIR' });
    await t.rejects(writer.place([{ ref: staged[1].ref, target: join(root, 'ff', 'b'), stagedAt: Date.now() }]), /not held/, 'the jobs after the failing one were let go too');
    const after = writer.write(Buffer.from('after'));
    await after.durable;
    t.same(await writer.place([{ ref: after.ref, target: join(root, 'ff', 'after'), stagedAt: Date.now() }]), [true]);
});
t.test('a write that fails rejects with the errno code', async (t) => {
    const { tmp, writer } = scratch(t, { root: false });
    rmSync(tmp, { recursive: true });
    await t.rejects(writer.write(Buffer.from('x')).durable, { code: 'ENOENT', syscall: 'open' });
});
t.test('after close, the next write starts a new worker', async (t) => {
    const { root, writer } = scratch(t);
    await writer.write(Buffer.from('a')).durable;
    await writer.close();
    const b = writer.write(Buffer.from('b'));
    await b.durable;
    t.same(await writer.place([{ ref: b.ref, target: join(root, 'gg', 'b'), stagedAt: Date.now() }]), [true]);
    t.equal(readFileSync(join(root, 'gg', 'b'), 'utf8'), 'b');
});
//# sourceMappingURL=blob-writer.unit.js.map