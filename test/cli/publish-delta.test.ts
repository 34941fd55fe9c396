import t from 'tap';
import type { Test } from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReleaseManifest } from '../../protocol/api.js';
import { sha256Hex } from '../../protocol/sha256.js';
import type { PublishResult } from '../../cli/publish/publish-result.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { getJson, publishFlags, settleTimestamps, startServer } from './server-fixture.js';

const publish = async (t: Test, tree: string, flags: string[]): Promise<PublishResult> => {
  const run = await runCliInProcess(['publish', tree, ...flags, '--json']);
  t.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as PublishResult;
};

t.test('a re-publish sends the delta from the last release published from here; when that base is gone it sends the whole manifest', async (t) => {
  const dir = t.testdir({ data: {}, a: { 'index.php': 'v1', 'lib.php': 'lib' }, b: { 'index.php': 'other checkout' } });
  const { url } = await startServer(t, join(dir, 'data'));
  const flagsA = publishFlags(url, join(dir, 'cache-a'));
  const flagsB = publishFlags(url, join(dir, 'cache-b'));
  await settleTimestamps();

  const first = await publish(t, join(dir, 'a'), flagsA);
  t.match(first, { seq: 1, manifestForm: 'full' }, 'nothing published from here yet: the whole manifest');

  writeFileSync(join(dir, 'a', 'index.php'), 'v2');
  const second = await publish(t, join(dir, 'a'), flagsA);
  t.match(second, { seq: 2, manifestForm: 'delta', uploadedBlobs: 1 }, 'the change from seq 1 only');
  const stored = await getJson<ReleaseManifest>(`${url}/v1/apps/demo/releases/2/manifest`);
  t.same(stored.entries.map((entry) => [entry.path, entry.type === 'file' ? entry.sha256 : '']), [['index.php', sha256Hex('v2')], ['lib.php', sha256Hex('lib')]], 'the server holds the whole new tree');
  t.equal(stored.digest, second.digest);

  // Another checkout publishes, and the app keeps one release: seq 2, this checkout's base, goes.
  const keepOne = await fetch(`${url}/v1/apps/demo`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ keepReleases: 1 }) });
  t.equal(keepOne.status, 200);
  t.match(await publish(t, join(dir, 'b'), flagsB), { seq: 3 });
  writeFileSync(join(dir, 'a', 'index.php'), 'v3');
  await settleTimestamps();
  const fallback = await publish(t, join(dir, 'a'), flagsA);
  t.match(fallback, { seq: 4, manifestForm: 'full', unchanged: false }, 'the base was pruned: the server said so and the whole manifest went');
  const latest = await getJson<ReleaseManifest>(`${url}/v1/apps/demo/releases/4/manifest`);
  t.same(latest.entries.map((entry) => entry.path), ['index.php', 'lib.php']);

  writeFileSync(join(dir, 'a', 'lib.php'), 'lib 2');
  await settleTimestamps();
  t.match(await publish(t, join(dir, 'a'), flagsA), { seq: 5, manifestForm: 'delta' }, 'and the next one is a delta again, from seq 4');
});
