import t from 'tap';
import { CompactManifest } from '../../../protocol/compact-manifest.js';
import { comparePathBytes } from '../../../protocol/paths.js';
import { baseFits, copiedRuns, recordChunks } from '../../../server/store/record-layout.js';
import { recordBytes, recordFrame } from '../../../server/store/records.js';
const sha = (c) => c.repeat(64);
const header = { app: 'web', seq: 2, digest: `sha256:${sha('f')}`, createdAt: '2026-01-01T00:00:00.000Z', meta: {}, files: 0, bytes: 0 };
const file = (path, c = 'a') => ({ path, type: 'file', mode: 0o644, size: 5, sha256: sha(c) });
const sorted = (entries) => CompactManifest.fromSorted([...entries].sort((a, b) => comparePathBytes(a.path, b.path)));
const tree = Array.from({ length: 40 }, (_, i) => file(`dir/f${String(i).padStart(2, '0')}`));
const odd = [{ path: 'a "quoted"\nname', type: 'symlink', mode: 0o777, target: 'x\ty' }, { path: 'dir', type: 'dir', mode: 0o755 }];
/** Writes `manifest`'s record on top of `base`'s, as the store does. */
function writeOver(base, manifest, head = header) {
    const { head: h, tail } = recordFrame(head);
    const runs = copiedRuns(manifest, base);
    if (runs.length > 0 && !baseFits(runs, base.layout, base.bytes))
        throw new Error('base does not fit');
    const done = {};
    const bytes = Buffer.concat([...recordChunks(h, tail, manifest, runs, runs.length > 0 ? { layout: base.layout, file: base.bytes } : undefined, done)]);
    return { manifest, bytes, layout: done.layout, copied: runs.length > 0 };
}
t.test('a record written over an older one is the record written whole, byte for byte', async (t) => {
    const first = writeOver(undefined, sorted([...tree, ...odd]));
    t.equal(first.bytes.toString(), recordBytes(header, first.manifest).toString(), 'no base: every entry written');
    const changes = [
        ['one file changed', [...tree.map((e, i) => (i === 17 ? file(e.path, 'b') : e)), ...odd]],
        ['first and last changed', [...tree.map((e, i) => (i === 0 || i === 39 ? file(e.path, 'c') : e)), odd[1], { ...odd[0], target: 'z' }]],
        ['added at the start and the end, one removed', [file('0first'), ...tree.filter((_, i) => i !== 5), ...odd, file('zz/last')]],
        ['nothing changed', [...tree, ...odd]],
    ];
    let base = first;
    for (const [name, entries] of changes) {
        const signed = { ...header, seq: base === first ? 3 : 4, signature: { alg: 'ed25519', keyId: 'k', sig: 'c2ln' } };
        const next = writeOver(base, sorted(entries), signed);
        t.equal(next.bytes.toString(), recordBytes(signed, next.manifest).toString(), name);
        t.ok(next.copied, `${name}: the shared entries were copied`);
        const again = writeOver(next, next.manifest);
        t.equal(again.bytes.toString(), recordBytes(header, next.manifest).toString(), `${name}: its layout serves the next record`);
        base = next;
    }
});
t.test('a base file that is not the record its layout describes is refused', async (t) => {
    const first = writeOver(undefined, sorted(tree));
    const runs = copiedRuns(sorted(tree.map((e, i) => (i === 3 ? file(e.path, 'd') : e))), first);
    t.ok(baseFits(runs, first.layout, first.bytes), 'the right file');
    t.notOk(baseFits(runs, first.layout, undefined), 'no file');
    t.notOk(baseFits(runs, first.layout, Buffer.concat([first.bytes, Buffer.from(' ')])), 'another length');
    const shifted = Buffer.from(first.bytes);
    shifted.copyWithin(1, 0, shifted.length - 1);
    t.notOk(baseFits(runs, first.layout, shifted), 'the same length, other bytes');
});
t.test('a tree of many entries is made in chunks, the same bytes', async (t) => {
    const many = Array.from({ length: 10_000 }, (_, i) => file(`m/${String(i).padStart(5, '0')}`));
    const first = writeOver(undefined, sorted(many));
    t.equal(first.bytes.toString(), recordBytes(header, first.manifest).toString());
    const changed = writeOver(first, sorted(many.map((e, i) => (i % 3000 === 7 ? file(e.path, 'b') : e))));
    t.ok(changed.copied);
    t.equal(changed.bytes.toString(), recordBytes(header, changed.manifest).toString());
});
t.test('a tree sharing less than half with the base is written whole', async (t) => {
    const first = writeOver(undefined, sorted(tree));
    const other = writeOver(first, sorted(tree.map((e) => file(e.path, 'e'))));
    t.notOk(other.copied);
    t.equal(other.bytes.toString(), recordBytes(header, other.manifest).toString());
});
//# sourceMappingURL=record-layout.unit.js.map