import t from 'tap';
import { join } from 'node:path';
import { CodesyncProcess } from '../helpers/codesync-process.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { shortTempDir, SocketFixture } from './fixtures/socket-fixture.js';
import { waitFor } from '../helpers/wait-for.js';
t.test('codesync wait blocks until the first sync of the app, then prints its path and exits 0', async (t) => {
    const path = join(await shortTempDir(t), 'agent.sock');
    const fixture = new SocketFixture(path);
    await fixture.start();
    t.teardown(() => fixture.stop());
    fixture.activate('other', 1);
    const waiting = runCliInProcess(['wait', '--app', 'hello', '--socket', path, '--timeout', '60']);
    await waitFor('wait to long-poll', () => fixture.socket.waiting() > 0);
    fixture.activate('hello', 1, '/srv/codesync/apps/hello/current');
    const done = await waiting;
    t.equal(done.code, 0, done.stderr);
    t.equal(done.stdout, '/srv/codesync/apps/hello/current\n');
    const again = await runCliInProcess(['wait', '--app', 'hello', '--socket', path, '--timeout', '0']);
    t.equal(again.code, 0, 'an app already held returns at once');
});
t.test('codesync wait times out with exit 1 and WAIT_TIMEOUT', async (t) => {
    const path = join(await shortTempDir(t), 'agent.sock');
    const fixture = new SocketFixture(path);
    await fixture.start();
    t.teardown(() => fixture.stop());
    const done = await runCliInProcess(['wait', '--app', 'hello', '--socket', path, '--timeout', '1']);
    t.equal(done.code, 1);
    t.equal(done.stdout, '');
    t.match(done.stderr, /^codesync: WAIT_TIMEOUT: app hello did not arrive on this node within 1 s\n$/);
    const noAgent = await runCliInProcess(['wait', '--app', 'hello', '--socket', join(path, '..', 'absent.sock'), '--timeout', '1']);
    t.equal(noAgent.code, 1);
    t.match(noAgent.stderr, /WAIT_TIMEOUT: .*no agent answered on .*absent\.sock \(connect ENOENT/, 'the message says the agent was not reachable');
});
t.test('codesync wait keeps trying while the socket is absent and across an agent restart', async (t) => {
    const path = join(await shortTempDir(t), 'run', 'agent.sock');
    // NODE_DEBUG=net logs each connect attempt to stderr (`pipe true <path>`): two of them before any
    // agent exists show the wait knocking again on an absent socket.
    const waiting = new CodesyncProcess(['wait', '--app', 'hello', '--socket', path, '--timeout', '120'], { env: { NODE_DEBUG: 'net' } });
    t.teardown(() => waiting.stop('SIGKILL'));
    const attempts = () => waiting.stderr.filter((line) => line.includes(`pipe true ${path}`)).length;
    await waitFor('two attempts on the absent socket', () => attempts() >= 2);
    const first = new SocketFixture(path);
    await first.start();
    await waitFor('wait to reach the first agent', () => first.socket.waiting() > 0);
    await first.stop();
    // The restarted agent replaces the socket file and then syncs the app.
    const second = new SocketFixture(path);
    await second.start();
    t.teardown(() => second.stop());
    await waitFor('wait to reach the restarted agent', () => second.socket.waiting() > 0);
    second.activate('hello', 4, '/srv/hello/current');
    const done = await waiting.exited;
    t.equal(done.code, 0, waiting.stderr.filter((line) => line.startsWith('codesync')).join('\n') || 'exit 0');
    t.same(waiting.logs.map((line) => line.msg), ['/srv/hello/current']);
});
t.test('codesync wait usage errors', async (t) => {
    const missing = await runCliInProcess(['wait']);
    t.equal(missing.code, 2);
    t.match(missing.stderr, /--app/);
    const badName = await runCliInProcess(['wait', '--app', 'Bad_Name', '--timeout', '0']);
    t.equal(badName.code, 2, 'a bad --app is a usage error, as in every command');
    t.match(badName.stderr, /USAGE: --app "Bad_Name" is not a valid app name/);
    const badTimeout = await runCliInProcess(['wait', '--app', 'hello', '--timeout', 'soon']);
    t.equal(badTimeout.code, 2);
});
//# sourceMappingURL=wait.test.js.map