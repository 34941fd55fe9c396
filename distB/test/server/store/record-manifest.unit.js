import t, {} from 'tap';
import { CompactManifest } from '../../../protocol/compact-manifest.js';
import { comparePathBytes } from '../../../protocol/paths.js';
import { readRecord, readRecordHeader } from '../../../server/store/record-manifest.js';
import { recordChunks } from '../../../server/store/record-layout.js';
import { recordFrame } from '../../../server/store/records.js';
const sha = (c) => c.repeat(64);
const file = (path, c = 'a', size = 5) => ({ path, type: 'file', mode: 0o644, size, sha256: sha(c) });
const sorted = (entries) => CompactManifest.fromSorted([...entries].sort((a, b) => comparePathBytes(a.path, b.path)));
/** Every kind of entry, and paths and targets JSON escapes or leaves alone. */
const odd = [
    { path: 'a "quoted"\nname', type: 'symlink', mode: 0o777, target: 'x\ty\\z' },
    { path: 'dir', type: 'dir', mode: 0o755 },
    { path: 'dir/\u0001ctl', type: 'file', mode: 0o600, size: 0, sha256: sha('b') },
    { path: 'dir/ünï\u2028cöde', type: 'file', mode: 0o4, size: 123_456_789_012, sha256: sha('c') },
    { path: 'dir/plain', type: 'symlink', mode: 0o777, target: '../elsewhere' },
    { path: 'setgid-free/x', type: 'file', mode: 0o777, size: 1, sha256: sha('d') },
];
const tree = sorted([...odd, ...Array.from({ length: 50 }, (_, i) => file(`m/${String(i).padStart(3, '0')}`, 'e', i))]);
/** The record file the store writes for `manifest`, and where its entries lie. */
function written(manifest, extra = {}) {
    const header = { app: 'web', seq: 7, digest: manifest.digest(), createdAt: '2026-01-01T00:00:00.000Z', meta: {}, files: 0, bytes: 0, ...extra };
    const { head, tail } = recordFrame(header);
    const done = {};
    const bytes = Buffer.concat([...recordChunks(head, tail, manifest, [], undefined, done)]);
    return { header, bytes, layout: done.layout };
}
function sameManifest(t, got, want) {
    t.ok(got.text.equals(want.text), 'the same canonical text');
    t.same([...got.offsets().lineStarts], [...want.offsets().lineStarts], 'lines start where they did');
    t.same([...got.offsets().pathStarts], [...want.offsets().pathStarts], 'paths start where they did');
    t.same(got.toEntries(), want.toEntries(), 'the same entries');
}
t.test('a record the store wrote reads back as its manifest, header and layout', async (t) => {
    for (const [name, extra] of [
        ['unsigned', {}],
        // The signature follows the entries; a nested "entries" key in meta is not the record's.
        ['signed, meta holding an entries key', { meta: { message: 'x,"entries":[', nested: { a: 1, entries: [1, 2] } }, signature: { alg: 'ed25519', keyId: 'k', sig: 'c2ln' } }],
    ]) {
        const { header, bytes, layout } = written(tree, extra);
        const read = readRecord(bytes);
        sameManifest(t, read.manifest, tree);
        t.same(read.header, header, `${name}: the header`);
        t.same(read.layout && [...read.layout.starts], [...layout.starts], `${name}: the layout the writer gave`);
        t.equal(read.layout?.fileBytes, bytes.length);
        t.same(readRecordHeader(bytes), header, `${name}: the header alone`);
    }
});
t.test('an empty tree reads back', async (t) => {
    const empty = CompactManifest.fromSorted([]);
    const { bytes, layout } = written(empty);
    const read = readRecord(bytes);
    t.equal(read.manifest.length, 0);
    t.equal(read.manifest.digest(), empty.digest());
    t.same(read.layout && [...read.layout.starts], [...layout.starts]);
});
t.test('a record in another form is read the general way, with no layout', async (t) => {
    const { header, bytes } = written(tree);
    const record = JSON.parse(bytes.toString());
    const forms = [
        ['pretty-printed', JSON.stringify(record, null, 2)],
        ['keys in another order', JSON.stringify({ entries: record.entries, ...header })],
        ['entry keys in another order', JSON.stringify({ ...header, entries: record.entries.map(({ type, ...rest }) => ({ ...rest, type })) })],
    ];
    for (const [name, text] of forms) {
        const read = readRecord(Buffer.from(text));
        sameManifest(t, read.manifest, tree);
        t.equal(read.header.digest, header.digest, `${name}: the header`);
        t.equal(read.layout, undefined, `${name}: no layout`);
        t.same(readRecordHeader(Buffer.from(text)), header, `${name}: the header alone`);
    }
});
t.test('entries that do not make the header digest are not taken from the fast read', async (t) => {
    const { bytes } = written(tree);
    // Same length, one sha256 digit changed: the form is right, the tree is not the digest's.
    const text = bytes.toString().replace(sha('e'), `${sha('e').slice(0, 63)}f`);
    const read = readRecord(Buffer.from(text));
    t.equal(read.layout, undefined, 'read the general way');
    t.not(read.manifest.digest(), tree.digest(), 'what the entries say, as before');
});
t.test('a record that is not JSON fails as it always did', async (t) => {
    const { bytes } = written(tree);
    t.throws(() => readRecord(bytes.subarray(0, bytes.length - 1)), SyntaxError);
    t.throws(() => readRecord(Buffer.from('{"app":"web"}')), /lacks app, seq, digest or entries/);
    for (const cut of [bytes.length - 1, bytes.length - 3, Math.floor(bytes.length / 2)])
        t.throws(() => readRecordHeader(bytes.subarray(0, cut)), `cut at ${cut}: the header alone fails too`);
    t.throws(() => readRecordHeader(Buffer.from('{"app":"web"}')), /lacks app, seq, digest or entries/);
});
//# sourceMappingURL=record-manifest.unit.js.map