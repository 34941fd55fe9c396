import t from 'tap';
import { assertManifestDigest, assertSeq, isManifestDigest, isSeq } from '../../protocol/release-id.js';
const digest = `sha256:${'ab'.repeat(32)}`;
t.test('a seq is a positive safe integer', async (t) => {
    for (const good of [1, 42, Number.MAX_SAFE_INTEGER])
        t.ok(isSeq(good), String(good));
    for (const bad of [0, -1, 1.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN, Infinity, '1', null, undefined])
        t.notOk(isSeq(bad), String(bad));
    t.throws(() => assertSeq(0, 'base seq'), { code: 'INVALID_SEQ', message: 'invalid base seq 0: want a positive integer' }, 'the field is named');
    t.throws(() => assertSeq('7'), { code: 'INVALID_SEQ', message: /invalid seq "7"/ });
    t.doesNotThrow(() => assertSeq(7));
});
t.test('a manifest digest is sha256: and 64 lowercase hex digits', async (t) => {
    t.ok(isManifestDigest(digest));
    for (const bad of ['ab'.repeat(32), `sha256:${'AB'.repeat(32)}`, `sha256:${'ab'.repeat(31)}`, `sha256:${'ab'.repeat(32)}0`, `SHA256:${'ab'.repeat(32)}`, ` ${digest}`, `${digest}\n`, 42, null]) {
        t.notOk(isManifestDigest(bad), JSON.stringify(bad));
    }
    t.throws(() => assertManifestDigest('sha256:x'), { code: 'INVALID_SHA256', message: /invalid manifest digest "sha256:x"/ });
    t.doesNotThrow(() => assertManifestDigest(digest));
});
//# sourceMappingURL=release-id.unit.js.map