import t from 'tap';
import { join } from 'node:path';
import { runCli } from '../helpers/codesync-process.js';
import { shortTempDir, SocketFixture, until } from './fixtures/socket-fixture.js';

t.test('codesync wait blocks until the first sync of the app, then prints its path and exits 0', async (t) => {
  const path = join(await shortTempDir(t), 'agent.sock');
  const fixture = new SocketFixture(path);
  await fixture.start();
  t.teardown(() => fixture.stop());
  fixture.activate('other', 1);
  const waiting = runCli(['wait', '--app', 'hello', '--socket', path, '--timeout', '60']);
  await until(() => fixture.socket!.waiting() > 0, 'wait to long-poll');
  fixture.activate('hello', 1, '/srv/codesync/apps/hello/current');
  const done = await waiting;
  t.equal(done.code, 0, done.stderr);
  t.equal(done.stdout, '/srv/codesync/apps/hello/current\n');

  const again = await runCli(['wait', '--app', 'hello', '--socket', path, '--timeout', '0']);
  t.equal(again.code, 0, 'an app already held returns at once');
});

t.test('codesync wait times out with exit 1 and WAIT_TIMEOUT', async (t) => {
  const path = join(await shortTempDir(t), 'agent.sock');
  const fixture = new SocketFixture(path);
  await fixture.start();
  t.teardown(() => fixture.stop());
  const done = await runCli(['wait', '--app', 'hello', '--socket', path, '--timeout', '1']);
  t.equal(done.code, 1);
  t.equal(done.stdout, '');
  t.match(done.stderr, /^codesync: WAIT_TIMEOUT: app hello did not arrive on this node within 1 s\n$/);

  const noAgent = await runCli(['wait', '--app', 'hello', '--socket', join(path, '..', 'absent.sock'), '--timeout', '1']);
  t.equal(noAgent.code, 1);
  t.match(noAgent.stderr, /WAIT_TIMEOUT: .*no agent answered on .*absent\.sock \(connect ENOENT/, 'the message says the agent was not reachable');
});

t.test('codesync wait keeps trying while the socket is absent and across an agent restart', async (t) => {
  const path = join(await shortTempDir(t), 'run', 'agent.sock');
  const waiting = runCli(['wait', '--app', 'hello', '--socket', path, '--timeout', '60']);
  await new Promise((resolve) => setTimeout(resolve, 800));

  const first = new SocketFixture(path);
  await first.start();
  await until(() => first.socket!.waiting() > 0, 'wait to reach the first agent');
  await first.stop();

  // The restarted agent replaces the socket file and then syncs the app.
  const second = new SocketFixture(path);
  await second.start();
  t.teardown(() => second.stop());
  await until(() => second.socket!.waiting() > 0, 'wait to reach the restarted agent');
  second.activate('hello', 4, '/srv/hello/current');
  const done = await waiting;
  t.equal(done.code, 0, done.stderr);
  t.equal(done.stdout, '/srv/hello/current\n');
});

t.test('codesync wait usage errors', async (t) => {
  const missing = await runCli(['wait']);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /--app/);
  const badName = await runCli(['wait', '--app', 'Bad_Name', '--timeout', '0']);
  t.equal(badName.code, 2, 'a bad --app is a usage error, as in every command');
  t.match(badName.stderr, /USAGE: --app "Bad_Name" is not a valid app name/);
  const badTimeout = await runCli(['wait', '--app', 'hello', '--timeout', 'soon']);
  t.equal(badTimeout.code, 2);
});
