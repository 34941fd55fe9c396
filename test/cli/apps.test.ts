import t from 'tap';
import { join } from 'node:path';
import type { AppInfo, ReleaseSummary } from '../../protocol/api.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { getJson, startServer } from './server-fixture.js';

t.test('apps exist on purpose: an unknown app is refused, --create makes it, apps commands manage it', async (t) => {
  const dir = t.testdir({ data: {}, tree: { 'index.php': 'v1' } });
  const tree = join(dir, 'tree');
  const first = await startServer(t, join(dir, 'data'));
  let url = first.url;
  const server = ['--server', url];
  const publish = (app: string, ...extra: string[]) => runCliInProcess(['publish', tree, ...server, '--app', app, '--cache', join(dir, `${app}.cache.json`), ...extra]);

  const typo = await publish('shpo');
  t.equal(typo.code, 1);
  t.match(typo.stderr, /^codesync: APP_NOT_FOUND: app "shpo" does not exist; create it with `codesync apps create shpo --selector S`, or publish with --create --selector S\n$/);
  t.equal((await runCliInProcess(['apps', 'list', ...server])).stdout, 'no apps\n', 'the refused publish created nothing');

  t.match(await publish('shop', '--create'), { code: 2, stderr: /^codesync: USAGE: --create needs --selector/ });
  t.match(await publish('shop', '--selector', 'env=pre'), { code: 2, stderr: /--selector applies only with --create/ });
  t.match(await publish('shop', '--create', '--selector', 'env in (a'), { code: 2, stderr: /^codesync: USAGE: --selector "env in \(a": / });
  const created = await publish('shop', '--create', '--selector', 'env=pre');
  t.equal(created.code, 0, created.stderr);
  t.match(created.stdout, /^1 sha256:/);
  t.ok(first.server.logs.some((line) => line.msg === 'blobs missing; the client uploads them'), 'the first post of a manifest learns which blobs to upload');
  t.notOk(first.server.logs.some((line) => line.code === 'BLOBS_MISSING'), 'BLOBS_MISSING is a protocol step, not logged as "request refused"');
  t.match((await getJson<AppInfo>(`${url}/v1/apps/shop`)), { name: 'shop', nodeSelector: 'env=pre', latest: { seq: 1 } });
  const again = await publish('shop', '--create', '--selector', 'env=prod');
  t.equal(again.code, 0, again.stderr);
  t.equal((await getJson<AppInfo>(`${url}/v1/apps/shop`)).nodeSelector, 'env=pre', '--create leaves an existing app as it is');

  const create = await runCliInProcess(['apps', 'create', 'api', ...server, '--selector', 'tier in (api),!canary', '--keep-releases', '5']);
  t.equal(create.code, 0, create.stderr);
  t.equal(create.stdout, 'api selector="tier in (api),!canary" keepReleases=5\n');
  t.match(await runCliInProcess(['apps', 'create', 'api', ...server, '--selector', '']), { code: 1, stderr: /^codesync: APP_EXISTS: app api already exists/ });
  t.match(await runCliInProcess(['apps', 'create', 'web', ...server]), { code: 2, stderr: /required option '--selector <selector>' not specified; see codesync apps create --help/ });
  const help = await runCliInProcess(['apps', 'create', '--help']);
  t.match(help.stdout, /--selector <selector>[\s\S]*\(required\)/, '--help marks the required flags');

  const set = await runCliInProcess(['apps', 'set', 'api', ...server, '--selector', '', '--json']);
  t.equal(set.code, 0, set.stderr);
  t.match(JSON.parse(set.stdout), { name: 'api', nodeSelector: '', keepReleases: 5 });
  t.match(await runCliInProcess(['apps', 'set', 'api', ...server]), { code: 2, stderr: /apps set needs --selector, --keep-releases or --external-symlinks/ });
  const external = await runCliInProcess(['apps', 'set', 'api', ...server, '--external-symlinks', 'allow']);
  t.match(external, { code: 0, stdout: 'api selector="" keepReleases=5 externalSymlinks=allow\n' }, 'apps set opts the app in to external symlinks');
  t.match(await runCliInProcess(['apps', 'set', 'api', ...server, '--external-symlinks', 'maybe']), { code: 2, stderr: /--external-symlinks.*maybe/ });
  t.match(await runCliInProcess(['apps', 'set', 'nope', ...server, '--keep-releases', '3']), { code: 1, stderr: /^codesync: APP_NOT_FOUND: / });

  const list = await runCliInProcess(['apps', 'list', ...server]);
  const [header, ...rows] = list.stdout.trim().split('\n');
  t.match(header, /^APP\s+SELECTOR\s+KEEP\s+LATEST\s+PUBLISHED$/);
  t.match(rows, [/^api\s+\(all nodes\)\s+5\s+-\s+-$/, /^shop\s+env=pre\s+10\s+1\s+\S+$/]);
  t.same((JSON.parse((await runCliInProcess(['apps', 'list', ...server, '--json'])).stdout) as AppInfo[]).map((app) => app.name), ['api', 'shop']);

  const deleted = await runCliInProcess(['apps', 'delete', 'shop', ...server]);
  t.match(deleted, { code: 0, stdout: 'deleted shop\n' });
  t.match(await runCliInProcess(['status', ...server, '--app', 'shop']), { code: 1, stderr: /APP_NOT_FOUND/ });
  t.match(await runCliInProcess(['apps', 'delete', 'shop', ...server]), { code: 1, stderr: /APP_NOT_FOUND/ });
  // Agents may still hold seq 1 of the deleted app: its successor never hands out that seq again,
  // across a restart too.
  await first.server.stop();
  url = (await startServer(t, join(dir, 'data'), ['--listen', new URL(url).host])).url;
  const recreated = await publish('shop', '--create', '--selector', '');
  t.equal(recreated.code, 0, recreated.stderr);
  t.match(recreated.stdout, /^2 sha256:/, 'a recreated app goes on from the deleted one\'s seq');
  t.same((await getJson<ReleaseSummary[]>(`${url}/v1/apps/shop/releases`)).map((release) => release.seq), [2]);
});
