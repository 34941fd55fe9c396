import t from 'tap';
import { MissingBlobsSchema, PublishResponseSchema } from '../../../protocol/api.js';
import { missingBlobsOf, publishResponseOf } from '../../../protocol/client/publish-answers.js';
import { checkResponse } from '../../../protocol/client/response-check.js';
import { outcome } from './check-outcome.js';
// The publish path checks its answers by hand so it loads no schema compiler; each check must
// allow exactly what its schema allows, with the same code and field path.
const digest = `sha256:${'a'.repeat(64)}`;
const sha = 'b'.repeat(64);
t.test('a publish answer passes the hand check exactly when it passes PublishResponseSchema', async (t) => {
    const answers = [
        { seq: 1, digest }, { seq: 7, digest, unchanged: true }, { seq: 7, digest, unchanged: false, extra: 'kept' },
        { seq: 0, digest }, { seq: -3, digest }, { seq: 1.5, digest }, { seq: Number.MAX_SAFE_INTEGER + 2, digest }, { seq: '2', digest }, { digest },
        { seq: 1, digest: 'sha256:../../x' }, { seq: 1, digest: `sha256:${'A'.repeat(64)}` }, { seq: 1, digest: 'a'.repeat(64) }, { seq: 1 },
        { seq: 1, digest, unchanged: 'yes' }, { seq: 1, digest, unchanged: null },
        null, [], [{ seq: 1, digest }], 'x', 3,
    ];
    for (const answer of answers) {
        const bySchema = outcome(() => checkResponse(PublishResponseSchema, answer, 'POST x'));
        t.equal(outcome(() => publishResponseOf(answer, 'POST x')), bySchema, JSON.stringify(answer));
    }
    t.same(publishResponseOf({ seq: 7, digest, unchanged: true }, 'x'), { seq: 7, digest, unchanged: true });
});
t.test('a missing-blobs list passes the hand check exactly when it passes MissingBlobsSchema', async (t) => {
    const lists = [[], [sha], [sha, 'c'.repeat(64)], [sha, 'B'.repeat(64)], ['../../etc/passwd'], [sha, 7], [null], {}, null, sha];
    for (const list of lists) {
        const bySchema = outcome(() => checkResponse(MissingBlobsSchema, list, 'POST x'));
        t.equal(outcome(() => missingBlobsOf(list, 'POST x')), bySchema, JSON.stringify(list));
    }
    t.same(missingBlobsOf([sha], 'x'), [sha]);
});
//# sourceMappingURL=publish-answers.unit.js.map