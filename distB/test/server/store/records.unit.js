import t from 'tap';
import { parseAppRecord, parseReleaseRecord, summaryOf } from '../../../server/store/records.js';
const digest = `sha256:${'b'.repeat(64)}`;
const record = { app: 'web', seq: 2, digest, createdAt: '2026-01-01T00:00:00.000Z', meta: { commit: 'abc' }, files: 1, bytes: 5, entries: [{ path: 'a', type: 'file', mode: 0o644, size: 5, sha256: 'c'.repeat(64) }] };
t.test('summaryOf: the record without its entries, signed or not', async (t) => {
    t.same(summaryOf(record), { app: 'web', seq: 2, digest, createdAt: record.createdAt, meta: { commit: 'abc' }, files: 1, bytes: 5, signed: false });
    const signature = { alg: 'ed25519', keyId: 'key-1', sig: 'c2ln' };
    const signed = summaryOf({ ...record, signature, rollbackOf: 1 });
    t.match(signed, { signed: true, keyId: 'key-1', rollbackOf: 1 });
    t.notOk('signature' in signed, 'the signature itself stays in the manifest');
    t.notOk('entries' in signed);
});
t.test('parseAppRecord: name, nextSeq and keepReleases are required', async (t) => {
    const app = { name: 'web', nodeSelector: '', keepReleases: 10, createdAt: record.createdAt, nextSeq: 3 };
    t.same(parseAppRecord(JSON.stringify(app)), app);
    for (const broken of [{ ...app, name: 7 }, { ...app, nextSeq: 2.5 }, { ...app, keepReleases: '10' }]) {
        t.throws(() => parseAppRecord(JSON.stringify(broken)), { message: 'app record lacks name, nextSeq or keepReleases' });
    }
    t.throws(() => parseAppRecord('{"name":'), SyntaxError, 'a torn file is a parse error');
});
t.test('parseReleaseRecord: app, seq, digest and entries are required', async (t) => {
    t.same(parseReleaseRecord(JSON.stringify(record)), record);
    for (const broken of [{ ...record, app: null }, { ...record, seq: '2' }, { ...record, digest: 1 }, { ...record, entries: {} }]) {
        t.throws(() => parseReleaseRecord(JSON.stringify(broken)), { message: 'release record lacks app, seq, digest or entries' });
    }
});
//# sourceMappingURL=records.unit.js.map