import t from 'tap';
import { PullSlotGrantSchema, PullSlotQueuedSchema, ReleaseDeltaResponseSchema, ReleaseManifestResponseSchema, UncheckedAppListSchema } from '../../../protocol/api.js';
import { pullSlotGrantOf, pullSlotQueuedOf, releaseDeltaOf, releaseManifestOf, uncheckedListOf } from '../../../protocol/client/node-answers.js';
import { checkResponse } from '../../../protocol/client/response-check.js';
import { outcome } from './check-outcome.js';
import { LIMITS } from '../../../protocol/limits.js';
// What a node reads to sync is checked by hand so the agent loads no schema compiler; each check
// must allow exactly what its schema allows, with the same code and field path.
const digest = `sha256:${'a'.repeat(64)}`;
const notObjects = [null, [], 'x', 3, true];
/** Each answer the hand check and the schema judge differently: the answer, then both outcomes. */
function differences(schema, byHand, answers) {
    const found = [];
    for (const answer of answers) {
        const bySchema = outcome(() => checkResponse(schema, answer, 'GET x'));
        const mine = outcome(() => byHand(answer, 'GET x'));
        if (mine !== bySchema)
            found.push(`${JSON.stringify(answer).slice(0, 200)}: by hand ${mine}, by schema ${bySchema}`);
    }
    return found;
}
t.test('a manifest answer passes the hand check exactly when it passes ReleaseManifestResponseSchema', async (t) => {
    const head = { app: 'web', seq: 3, digest, createdAt: '2026-01-01T00:00:00.000Z', meta: { commit: 'abc' }, files: 3, bytes: 10, entries: [] };
    const without = (key) => Object.fromEntries(Object.entries(head).filter(([name]) => name !== key));
    const answers = [
        head, { ...head, entries: [{ any: 'thing' }, 7] }, { ...head, rollbackOf: 2, signature: { keyId: 'k' }, signed: 'not checked', keyId: 9, extra: [1] },
        { ...head, meta: {} }, { ...head, meta: { 'a/b~c': 'x' } }, { ...head, meta: { a: 'x', 'b/~': 3 } }, { ...head, meta: { 'line\nbreak': 3 } }, { ...head, meta: [] }, { ...head, meta: null }, { ...head, meta: 'x' },
        { ...head, app: 'Web' }, { ...head, app: 'a'.repeat(64) }, { ...head, app: 'a..b' }, { ...head, app: '../x' }, { ...head, app: 7 },
        { ...head, seq: 0 }, { ...head, seq: 1.5 }, { ...head, seq: Number.MAX_SAFE_INTEGER + 2 }, { ...head, seq: '3' },
        { ...head, digest: 'sha256:../x' }, { ...head, digest: `sha256:${'A'.repeat(64)}` },
        { ...head, createdAt: 5 }, { ...head, rollbackOf: 0 }, { ...head, rollbackOf: null }, { ...head, files: -1 }, { ...head, files: 1.5 }, { ...head, bytes: '10' },
        { ...head, entries: {} }, { ...head, entries: null }, { ...head, entries: new Array(LIMITS.maxEntries + 1).fill(0) },
        without('app'), without('seq'), without('digest'), without('createdAt'), without('meta'), without('files'), without('bytes'), without('entries'),
        { ...without('files'), app: 'Bad', seq: 0 }, { ...head, seq: 0, digest: 'x', bytes: -1 }, { ...head, meta: { a: 1 }, files: -1 }, {},
        ...notObjects,
    ];
    t.same(differences(ReleaseManifestResponseSchema, releaseManifestOf, answers), []);
});
t.test('a delta answer passes the hand check exactly when it passes ReleaseDeltaResponseSchema', async (t) => {
    const delta = { app: 'web', seq: 4, base: 3, digest, added: [], changed: [], removed: [] };
    const without = (key) => Object.fromEntries(Object.entries(delta).filter(([name]) => name !== key));
    const answers = [
        delta, { ...delta, added: 'anything', changed: null, removed: { x: 1 }, signature: 7, extra: true },
        { ...delta, base: 0 }, { ...delta, base: '3' }, { ...delta, seq: -1 }, { ...delta, app: '' }, { ...delta, digest: null },
        without('added'), without('changed'), without('removed'), without('base'), without('app'), { ...without('removed'), seq: 0 }, {},
        ...notObjects,
    ];
    t.same(differences(ReleaseDeltaResponseSchema, releaseDeltaOf, answers), []);
});
t.test('pull slot answers pass the hand checks exactly when they pass their schemas', async (t) => {
    t.same(differences(PullSlotGrantSchema, pullSlotGrantOf, [
        { slot: 's1', ttlSeconds: 30 }, { slot: 's', ttlSeconds: 0.5, extra: 1 }, { slot: '', ttlSeconds: 30 }, { slot: 'x'.repeat(257), ttlSeconds: 30 }, { slot: 'x'.repeat(256), ttlSeconds: 30 },
        { slot: 7, ttlSeconds: 30 }, { slot: 's', ttlSeconds: 0 }, { slot: 's', ttlSeconds: -1 }, { slot: 's', ttlSeconds: '30' }, { slot: 's' }, { ttlSeconds: 30 }, {},
        ...notObjects,
    ]), []);
    t.same(differences(PullSlotQueuedSchema, pullSlotQueuedOf, [{}, { position: 0 }, { position: 12, error: { code: 'SLOT_QUEUE_TIMEOUT' } }, { position: -1 }, { position: 1.5 }, { position: '1' }, { position: null }, ...notObjects]), []);
});
t.test('an app listing passes the hand check exactly when it passes UncheckedAppListSchema', async (t) => {
    t.same(differences(UncheckedAppListSchema, uncheckedListOf, [[], [{ name: 'web' }, 7, null], {}, { apps: [] }, null, 'x', 3]), []);
});
//# sourceMappingURL=node-answers.unit.js.map