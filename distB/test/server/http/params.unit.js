import t from 'tap';
import { appParam, baseQuery, parseSeq, sha256Param } from '../../../server/http/params.js';
t.test('parseSeq: decimal digits of a positive safe integer', async (t) => {
    t.equal(parseSeq('1'), 1);
    t.equal(parseSeq('42'), 42);
    t.equal(parseSeq('007'), 7, 'leading zeros');
    t.equal(parseSeq('999999999999999'), 999_999_999_999_999, 'fifteen digits');
    for (const bad of ['0', '', '-1', '1.0', '1e3', '0x10', ' 1', '1 ', '+1', '1234567890123456', 'latest', 5, undefined, null]) {
        t.throws(() => parseSeq(bad), { code: 'INVALID_SEQ', message: /^seq must be a positive integer, got / }, JSON.stringify(bad) ?? 'undefined');
    }
    t.throws(() => parseSeq('0', 'base'), { code: 'INVALID_SEQ', message: 'base must be a positive integer, got "0"' }, 'the parameter is named');
});
t.test('baseQuery: absent or empty means a full manifest', async (t) => {
    t.equal(baseQuery({}), undefined);
    t.equal(baseQuery({ base: '' }), undefined);
    t.equal(baseQuery({ base: '3' }), 3);
    t.throws(() => baseQuery({ base: 'x' }), { code: 'INVALID_SEQ', message: /^base must be/ });
    t.throws(() => baseQuery({ base: ['1', '2'] }), { code: 'INVALID_SEQ' }, 'a repeated ?base= is refused');
});
t.test('appParam and sha256Param check the path parameters', async (t) => {
    t.equal(appParam({ app: 'web-1' }), 'web-1');
    t.throws(() => appParam({ app: 'Web' }));
    t.throws(() => appParam({}));
    const sha = 'ab'.repeat(32);
    t.equal(sha256Param({ sha256: sha }), sha);
    t.throws(() => sha256Param({ sha256: sha.toUpperCase() }), { code: 'INVALID_SHA256' });
    t.throws(() => sha256Param({ sha256: `${sha}0` }), { code: 'INVALID_SHA256' });
});
//# sourceMappingURL=params.unit.js.map