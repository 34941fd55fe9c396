import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReleaseDelta, ReleaseManifest, ReleaseSummary } from '../../protocol/api.js';
import { getJson, manifestOf, postJson, publishManifest, sha256, startServer, tempDir, type TreeEntry } from './harness.js';

const file = (path: string, text: string, mode = 0o644): TreeEntry => ({ path, type: 'file', mode, data: Buffer.from(text) });
const v1: TreeEntry[] = [file('a.php', 'a one'), file('b.php', 'b one'), file('lib/c.php', 'c one')];
const v2: TreeEntry[] = [file('a.php', 'a one'), file('b.php', 'b two'), file('lib/c.php', 'c one'), file('lib/d.php', 'd new')];
const v3: TreeEntry[] = [file('a.php', 'a three'), file('lib/c.php', 'c one'), file('lib/d.php', 'd new', 0o755)];

const deltaPath = (dataDir: string, seq: number, base: number) => join(dataDir, 'apps', 'web', 'releases', 'deltas', `${seq}-from-${base}.json`);

t.test('the delta from the previous release is written at publish and served as that file; an older step is made once, then kept', async (t) => {
  const dataDir = join(tempDir(t), 'data');
  const { url } = await startServer(t, dataDir);
  await publishManifest(url, 'web', v1);
  t.notOk(existsSync(deltaPath(dataDir, 1, 0)), 'a first release has no step to precompute');
  await publishManifest(url, 'web', v2);
  t.ok(existsSync(deltaPath(dataDir, 2, 1)), 'the step 1 -> 2 is on disk before any node asks');

  const served = await fetch(`${url}/v1/apps/web/releases/2/manifest?base=1`);
  t.equal(served.status, 200);
  t.match(served.headers.get('content-type'), /^application\/json/);
  const text = await served.text();
  t.equal(text, readFileSync(deltaPath(dataDir, 2, 1), 'utf8'), 'the response is the precomputed file, byte for byte');
  const delta = JSON.parse(text) as ReleaseDelta;
  t.same({ added: delta.added, changed: delta.changed, removed: delta.removed }, { added: manifestOf([v2[3]!]), changed: manifestOf([v2[1]!]), removed: [] });
  t.match(delta, { app: 'web', seq: 2, base: 1 });

  await publishManifest(url, 'web', v3);
  t.notOk(existsSync(deltaPath(dataDir, 3, 1)), 'only the step from the previous release is precomputed');
  const older = await getJson<ReleaseDelta>(`${url}/v1/apps/web/releases/3/manifest?base=1`);
  t.equal(older.status, 200, 'an older base is computed on request');
  t.same({ added: older.body.added, changed: older.body.changed, removed: older.body.removed }, { added: manifestOf([v3[2]!]), changed: manifestOf([v3[0]!]), removed: ['b.php'] });
  t.ok(existsSync(deltaPath(dataDir, 3, 1)), '... and kept for the next node making that step');
  t.same((await getJson(`${url}/v1/apps/web/releases/3/manifest?base=1`)).body, older.body, 'served again from the file, the same');

  const full = await fetch(`${url}/v1/apps/web/releases/3/manifest`);
  const fullText = await full.text();
  t.equal(fullText, readFileSync(join(dataDir, 'apps', 'web', 'releases', '3.json'), 'utf8'), 'the full manifest is the record file as written');
  t.same((JSON.parse(fullText) as ReleaseManifest).entries, manifestOf(v3));
});

t.test('a lost delta file is made again; pruned releases take their deltas with them', async (t) => {
  const dataDir = join(tempDir(t), 'data');
  const { url } = await startServer(t, dataDir);
  t.equal((await getJson(`${url}/v1/apps/web`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nodeSelector: '', keepReleases: 2 }) })).status, 201, 'app created');
  await publishManifest(url, 'web', v1);
  await publishManifest(url, 'web', v2);
  const { rmSync } = await import('node:fs');
  rmSync(deltaPath(dataDir, 2, 1));
  const again = await getJson<ReleaseDelta>(`${url}/v1/apps/web/releases/2/manifest?base=1`);
  t.equal(again.status, 200, 'a delta file lost (a crash before it was written) is computed on request');
  t.same(again.body.changed, manifestOf([v2[1]!]));
  await publishManifest(url, 'web', v3);
  t.notOk(existsSync(deltaPath(dataDir, 2, 1)), 'release 1 was pruned: the step from it is gone');
  t.ok(existsSync(deltaPath(dataDir, 3, 2)));
  t.equal((await getJson<{ error: { code: string } }>(`${url}/v1/apps/web/releases/3/manifest?base=1`)).body.error.code, 'RELEASE_NOT_FOUND');
  t.equal((await getJson<{ error: { code: string } }>(`${url}/v1/apps/web/releases/2/manifest?base=1`)).body.error.code, 'RELEASE_NOT_FOUND', 'a step served (and kept in memory) before its base was pruned is gone with it');
});

t.test('delta publish: only the change travels, the server builds the whole tree and checks only the new blobs', async (t) => {
  const { url } = await startServer(t, tempDir(t));
  const first = await publishManifest(url, 'web', v1);
  const body = { base: 1, baseDigest: first.body.digest, added: manifestOf([v2[3]!]), changed: manifestOf([v2[1]!]), removed: [], meta: { commit: 'two' } };
  const missing = await postJson<{ error: { code: string }; missing: string[] }>(`${url}/v1/apps/web/releases`, body);
  t.equal(missing.status, 409);
  t.same(missing.body.missing.sort(), [sha256(v2[1]!.type === 'file' ? v2[1]!.data : Buffer.alloc(0)), sha256(Buffer.from('d new'))].sort(), 'exactly the blobs the delta adds');
  for (const entry of [v2[1]!, v2[3]!]) if (entry.type === 'file') await fetch(`${url}/v1/blobs/${sha256(entry.data)}`, { method: 'PUT', body: entry.data });
  const published = await postJson<{ seq: number; digest: string }>(`${url}/v1/apps/web/releases`, body);
  t.equal(published.status, 201);
  const manifest = await getJson<ReleaseManifest>(`${url}/v1/apps/web/releases/${published.body.seq}/manifest`);
  t.same(manifest.body.entries, manifestOf(v2), 'the release is the base with the delta applied');
  t.same(manifest.body.meta, { commit: 'two' });
  const fileEntries = manifest.body.entries.filter((entry) => entry.type === 'file');
  const totals = { files: fileEntries.length, bytes: fileEntries.reduce((sum, entry) => sum + (entry.type === 'file' ? entry.size : 0), 0) };
  t.match(manifest.body, totals, "the release's files and bytes, counted from the delta, are the tree's");
  const same = await postJson<{ seq: number; unchanged?: boolean }>(`${url}/v1/apps/web/releases`, { base: 2, baseDigest: published.body.digest, added: [], changed: [], removed: [] });
  t.match(same, { status: 200, body: { seq: 2, unchanged: true } }, 'an empty delta against the latest is unchanged');
  // Any retained base will do: the client's tree is the base plus its delta, whatever came since.
  const fromOld = await postJson<{ seq: number }>(`${url}/v1/apps/web/releases`, { base: 1, baseDigest: first.body.digest, added: [], changed: [], removed: ['b.php'] });
  t.equal(fromOld.status, 201);
  const removedOne = (await getJson<ReleaseManifest>(`${url}/v1/apps/web/releases/${fromOld.body.seq}/manifest`)).body;
  t.same(removedOne.entries, manifestOf([v1[0]!, v1[2]!]));
  const kept = removedOne.entries.filter((entry) => entry.type === 'file');
  t.match(removedOne, { files: kept.length, bytes: kept.reduce((sum, entry) => sum + (entry.type === 'file' ? entry.size : 0), 0) }, 'a removed file leaves the totals');
});

t.test('delta publish refused: the base moved, a delta that does not apply, a tree that breaks a rule; nothing published', async (t) => {
  const { url } = await startServer(t, tempDir(t));
  t.equal((await getJson(`${url}/v1/apps/web`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nodeSelector: '', keepReleases: 1 }) })).status, 201, 'app created');
  const first = await publishManifest(url, 'web', v1);
  const second = await publishManifest(url, 'web', v2);
  const before = (await getJson<ReleaseSummary[]>(`${url}/v1/apps/web/releases`)).body;
  const refused = async (body: unknown) => {
    const answer = await postJson<{ error: { code: string; message: string } }>(`${url}/v1/apps/web/releases`, body);
    return [answer.status, answer.body.error.code];
  };
  t.same(await refused({ base: 1, baseDigest: first.body.digest, added: [], changed: [], removed: [] }), [409, 'DELTA_BASE_MISMATCH'], 'the base was pruned');
  t.same(await refused({ base: 2, baseDigest: first.body.digest, added: [], changed: [], removed: [] }), [409, 'DELTA_BASE_MISMATCH'], 'seq 2 holds another tree than the client diffed against');
  const base = { base: 2, baseDigest: second.body.digest };
  t.same(await refused({ ...base, added: [], changed: [], removed: ['nope.php'] }), [400, 'INVALID_REQUEST'], 'removes a path the base lacks');
  t.same(await refused({ ...base, added: manifestOf([v1[0]!]), changed: [], removed: [] }), [400, 'INVALID_REQUEST'], 'adds a path the base holds');
  t.same(await refused({ ...base, added: [{ path: 'out', type: 'symlink', mode: 0o777, target: '../../etc' }], changed: [], removed: [] }), [400, 'INVALID_SYMLINK'], 'the whole tree is checked');
  t.same(await refused({ ...base, added: [{ path: 'a.php/x', type: 'dir', mode: 0o755 }], changed: [], removed: [] }), [400, 'PATH_CONFLICT'], 'a path under a file');
  t.same(await refused({ ...base, entries: [], added: [], changed: [], removed: [] }), [400, 'INVALID_REQUEST'], 'both forms at once');
  t.same(await refused({ base: 2, added: [], changed: [], removed: [] }), [400, 'INVALID_SHA256'], 'no baseDigest');
  // Files only: checked by lookups of the delta's own paths, with the codes a whole check gives.
  const hostile = (path: string) => refused({ ...base, added: manifestOf([file(path, 'x')]), changed: [], removed: [] });
  t.same(await hostile('b.php/x.php'), [400, 'PATH_CONFLICT'], 'a file under a file');
  t.same(await hostile('lib'), [400, 'PATH_CONFLICT'], 'a file over a directory of the base');
  t.same(await hostile('../escape.php'), [400, 'INVALID_PATH'], 'a path leaving the tree');
  t.same(await hostile('lib/./c.php'), [400, 'INVALID_PATH'], 'a path not in normal form');
  t.same(await refused({ ...base, added: [], changed: [{ path: 'lib/c.php', type: 'symlink', mode: 0o777, target: '../../../etc/passwd' }], removed: [] }), [400, 'INVALID_SYMLINK'], 'a file turned into a link leaving the tree');
  t.same((await getJson<ReleaseSummary[]>(`${url}/v1/apps/web/releases`)).body, before, 'nothing was published');
  const unknown = await postJson<{ error: { code: string } }>(`${url}/v1/apps/nope/releases`, { ...base, added: [], changed: [], removed: [] });
  t.same([unknown.status, unknown.body.error.code], [404, 'APP_NOT_FOUND']);
});
