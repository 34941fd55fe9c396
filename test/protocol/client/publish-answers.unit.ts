import t from 'tap';
import { AppInfoSchema, MissingBlobsSchema, PublishResponseSchema } from '../../../protocol/api.js';
import { latestReleaseOf, missingBlobsOf, publishResponseOf } from '../../../protocol/client/publish-answers.js';
import { checkResponse } from '../../../protocol/client/response-check.js';
import { outcome } from './check-outcome.js';

// The publish path checks its answers by hand so it loads no schema compiler; each check must
// allow exactly what its schema allows, with the same code and field path.

const digest = `sha256:${'a'.repeat(64)}`;
const sha = 'b'.repeat(64);

t.test('a publish answer passes the hand check exactly when it passes PublishResponseSchema', async (t) => {
  const answers: unknown[] = [
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
  const lists: unknown[] = [[], [sha], [sha, 'c'.repeat(64)], [sha, 'B'.repeat(64)], ['../../etc/passwd'], [sha, 7], [null], {}, null, sha];
  for (const list of lists) {
    const bySchema = outcome(() => checkResponse(MissingBlobsSchema, list, 'POST x'));
    t.equal(outcome(() => missingBlobsOf(list, 'POST x')), bySchema, JSON.stringify(list));
  }
  t.same(missingBlobsOf([sha], 'x'), [sha]);
});

t.test("an app's latest release passes the hand check when the app passes AppInfoSchema, and a malformed latest fails both", async (t) => {
  const app = { name: 'web', nodeSelector: '', keepReleases: 5, createdAt: '2026-12-04T00:00:00.000Z' };
  const release = { app: 'web', seq: 7, digest, createdAt: '2026-12-04T00:00:00.000Z', meta: {}, files: 1, bytes: 1 };
  const valid = { ...app, latest: release };
  t.equal(outcome(() => checkResponse(AppInfoSchema, valid, 'GET x')), 'ok', 'the sample app is one the schema allows');
  t.same(latestReleaseOf(valid, 'GET x'), { seq: 7, digest });
  t.equal(outcome(() => checkResponse(AppInfoSchema, { ...app, latest: null }, 'GET x')), 'ok');
  t.equal(latestReleaseOf({ ...app, latest: null }, 'GET x'), null, 'no release yet');
  for (const latest of [{ ...release, seq: 0 }, { ...release, seq: '7' }, { ...release, digest: 'sha256:x' }, { ...release, digest: undefined }, [], 'x', 3, undefined]) {
    const answer = { ...app, latest };
    t.not(outcome(() => checkResponse(AppInfoSchema, answer, 'GET x')), 'ok', `the schema refuses latest ${JSON.stringify(latest)}`);
    t.not(outcome(() => latestReleaseOf(answer, 'GET x')), 'ok', `so does the hand check (${outcome(() => latestReleaseOf(answer, 'GET x'))} / ${outcome(() => checkResponse(AppInfoSchema, answer, 'GET x'))})`);
  }
  for (const body of [null, [], 'x']) t.equal(outcome(() => latestReleaseOf(body, 'GET x')), outcome(() => checkResponse(AppInfoSchema, body, 'GET x')), JSON.stringify(body));
});
