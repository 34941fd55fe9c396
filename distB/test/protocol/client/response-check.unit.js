import t from 'tap';
import { AppListSchema, ReleaseDeltaResponseSchema } from '../../../protocol/api.js';
import { checkResponse, parseResponse } from '../../../protocol/client/response-check.js';
const digest = `sha256:${'0'.repeat(64)}`;
const app = { name: 'web', nodeSelector: '', keepReleases: 3, createdAt: '2026-01-01T00:00:00Z', latest: null };
t.test('an answer that fits its schema is returned as is', async (t) => {
    t.same(parseResponse(AppListSchema, Buffer.from(JSON.stringify([app])), 'GET /v1/apps'), [app]);
});
t.test('names, seqs and digests the protocol refuses carry its code; other misfits are INVALID_RESPONSE, naming the field', async (t) => {
    t.throws(() => checkResponse(AppListSchema, [{ ...app, name: '../../escaped-app' }], 'GET /v1/apps'), { code: 'INVALID_APP_NAME', message: /\/0\/name/ });
    const delta = { app: 'web', seq: 2, base: 1, digest, added: [], changed: [], removed: [] };
    t.same(checkResponse(ReleaseDeltaResponseSchema, delta, 'x'), delta);
    for (const seq of [0, -1, 1.5, 1e300, '2'])
        t.throws(() => checkResponse(ReleaseDeltaResponseSchema, { ...delta, seq }, 'x'), { code: 'INVALID_SEQ', message: /\/seq/ }, String(seq));
    t.throws(() => checkResponse(ReleaseDeltaResponseSchema, { ...delta, digest: 'sha256:../../x' }, 'x'), { code: 'INVALID_SHA256', message: /\/digest/ });
    t.throws(() => checkResponse(AppListSchema, [{ ...app, keepReleases: 'many' }], 'x'), { code: 'INVALID_RESPONSE', message: /\/0\/keepReleases/ });
    t.throws(() => checkResponse(AppListSchema, { apps: [] }, 'x'), { code: 'INVALID_RESPONSE' });
});
t.test("a delta's lists are left to the manifest rules, shape included", async (t) => {
    const delta = { app: 'web', seq: 2, base: 1, digest, added: [{ path: 7 }], changed: 'x', removed: [7] };
    t.same(checkResponse(ReleaseDeltaResponseSchema, delta, 'x').changed, 'x');
});
t.test('a body that is not JSON is INVALID_RESPONSE', async (t) => {
    t.throws(() => parseResponse(AppListSchema, Buffer.from('<html>'), 'GET /v1/apps'), { code: 'INVALID_RESPONSE', message: /not JSON/ });
});
//# sourceMappingURL=response-check.unit.js.map