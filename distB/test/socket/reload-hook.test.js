import t, {} from 'tap';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CodesyncProcess, runCli, spawnNode } from '../helpers/codesync-process.js';
import { shortTempDir, SocketFixture } from './fixtures/socket-fixture.js';
import { waitFor } from '../helpers/wait-for.js';
/** A reload command that logs when it starts and ends, so overlap and order are visible. */
const SCRIPT = 'echo "start $CODESYNC_SEQ $CODESYNC_APP $CODESYNC_PATH $CODESYNC_DIGEST" >> "$LOG"; sleep "$NAP"; echo "end $CODESYNC_SEQ" >> "$LOG"; echo "reloaded onto $CODESYNC_SEQ"; exit "$FAIL"';
async function lines(file) {
    return (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
}
function startHook(t, socketPath, args, env = {}) {
    const hook = new CodesyncProcess(['reload-hook', '--app', 'hello', '--socket', socketPath, '--pod', 'web-1', ...args], { env });
    t.teardown(async () => {
        // A hook must exit on SIGTERM; should one not, say so and kill it instead of hanging the file.
        const stuck = setTimeout(() => {
            process.stderr.write(`reload-hook pid ${hook.child.pid} ignored SIGTERM for 10 s; killing it\n`);
            hook.child.kill('SIGKILL');
        }, 10_000);
        await hook.stop();
        clearTimeout(stuck);
    });
    return hook;
}
const subscribedCount = (hook) => hook.logs.filter((line) => line.msg === 'subscribed').length;
t.test('runs the command after each switch, debounced, one at a time, newest wins, and acks it', async (t) => {
    const dir = await shortTempDir(t);
    const path = join(dir, 'agent.sock');
    const log = join(dir, 'reloads.log');
    const fixture = new SocketFixture(path);
    await fixture.start();
    t.teardown(() => fixture.stop());
    fixture.activate('hello', 1);
    const hook = startHook(t, path, ['--debounce', '300ms', '--', 'sh', '-c', SCRIPT], { LOG: log, NAP: '0.5', FAIL: '0' });
    await hook.waitForLog((line) => line.msg === 'subscribed');
    // A burst of switches collapses into one reload onto the newest.
    fixture.activate('hello', 2);
    fixture.activate('hello', 3);
    fixture.activate('other', 9);
    const ack = await fixture.ackFor('hello', 3);
    t.match(ack, { pod: 'web-1', seq: 3, ok: true, message: 'reloaded onto 3' });
    t.same(await lines(log), [`start 3 hello /var/lib/codesync/apps/hello/current sha256:${'3'.padStart(64, '0')}`, 'end 3'], 'not run for the initial state, once for the burst');
    // Switches during a reload wait for it, then the newest runs.
    fixture.activate('hello', 4);
    await waitFor('reload 4 to start', async () => (await lines(log)).includes(`start 4 hello /var/lib/codesync/apps/hello/current sha256:${'4'.padStart(64, '0')}`));
    fixture.activate('hello', 5);
    fixture.activate('hello', 6);
    await fixture.ackFor('hello', 6);
    t.same((await lines(log)).slice(2).map((line) => line.split(' ').slice(0, 2).join(' ')), ['start 4', 'end 4', 'start 6', 'end 6']);
    t.notOk(fixture.acks.some((entry) => entry.ack.seq === 2 || entry.ack.seq === 5), 'superseded switches are not run');
});
t.test('a failing command is acked ok=false with the tail of its output', async (t) => {
    const dir = await shortTempDir(t);
    const path = join(dir, 'agent.sock');
    const fixture = new SocketFixture(path);
    await fixture.start();
    t.teardown(() => fixture.stop());
    const hook = startHook(t, path, ['--debounce', '0', '--', 'sh', '-c', `${'echo noise; '.repeat(400)}echo "config test failed" >&2; exit 3`]);
    await hook.waitForLog((line) => line.msg === 'subscribed');
    fixture.activate('hello', 1);
    const ack = await fixture.ackFor('hello', 1);
    t.equal(ack.ok, false);
    t.match(ack.message, /config test failed$/);
    t.ok(ack.message.length <= 2048, 'only the tail is kept');
    await hook.waitForLog((line) => line.msg === 'reload failed' && line.seq === 1);
    const missing = startHook(t, path, ['--debounce', '0', '--', join(dir, 'no-such-command')]);
    await missing.waitForLog((line) => line.msg === 'subscribed');
    fixture.activate('hello', 2);
    await waitFor('the ENOENT ack', () => fixture.acks.some((entry) => entry.ack.pod === 'web-1' && entry.ack.seq === 2 && /ENOENT/.test(entry.ack.message ?? '')));
});
t.test('reconnects across agent restarts and catches up on a switch it missed, never twice', async (t) => {
    const dir = await shortTempDir(t);
    const path = join(dir, 'agent.sock');
    const log = join(dir, 'reloads.log');
    let fixture = new SocketFixture(path);
    await fixture.start();
    fixture.activate('hello', 1);
    const hook = startHook(t, path, ['--debounce', '0', '--', 'sh', '-c', SCRIPT], { LOG: log, NAP: '0', FAIL: '0' });
    await hook.waitForLog((line) => line.msg === 'subscribed');
    fixture.activate('hello', 2);
    await fixture.ackFor('hello', 2);
    // The agent goes away; meanwhile the node switched to 3. The restarted agent starts with it.
    await fixture.stop();
    fixture = new SocketFixture(path);
    fixture.activate('hello', 3);
    await fixture.start();
    await fixture.ackFor('hello', 3);
    // Another restart with no switch in between: nothing to do.
    await fixture.stop();
    fixture = new SocketFixture(path);
    fixture.activate('hello', 3);
    await fixture.start();
    t.teardown(() => fixture.stop());
    await waitFor('the third subscription', () => subscribedCount(hook) === 3);
    fixture.activate('hello', 4);
    await fixture.ackFor('hello', 4);
    t.same((await lines(log)).filter((line) => line.startsWith('start')).map((line) => line.split(' ')[1]), ['2', '3', '4']);
});
t.test('the first arrival of an app is reloaded; --reload-on-start also reloads the state found at start', async (t) => {
    const dir = await shortTempDir(t);
    const path = join(dir, 'agent.sock');
    const fixture = new SocketFixture(path);
    await fixture.start();
    t.teardown(() => fixture.stop());
    const late = startHook(t, path, ['--debounce', '0', '--', 'true']);
    await late.waitForLog((line) => line.msg === 'subscribed');
    fixture.activate('hello', 1);
    await late.waitForLog((line) => line.msg === 'reload finished' && line.seq === 1);
    const eager = startHook(t, path, ['--debounce', '0', '--reload-on-start', '--pod', 'web-2', '--', 'true']);
    await eager.waitForLog((line) => line.msg === 'reload finished' && line.seq === 1);
    await waitFor('the ack of the reload at start', () => fixture.acks.some((entry) => entry.ack.pod === 'web-2' && entry.ack.seq === 1));
    t.equal(late.logs.filter((line) => line.msg === 'reload started').length, 1, 'the late hook ran once');
});
t.test('--signal with --pid-file signals the server process instead of running a command', async (t) => {
    const dir = await shortTempDir(t);
    const path = join(dir, 'agent.sock');
    const pidFile = join(dir, 'server.pid');
    const fixture = new SocketFixture(path);
    await fixture.start();
    t.teardown(() => fixture.stop());
    const server = spawnNode(['-e', `process.on('SIGUSR2', () => console.log('got USR2')); require('fs').writeFileSync(${JSON.stringify(pidFile)}, process.pid + '\\n'); console.log('up'); setInterval(() => {}, 1000)`], { stdio: ['ignore', 'pipe', 'inherit'] });
    t.teardown(() => server.kill());
    let output = '';
    server.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    await waitFor('the fake server to start', () => output.includes('up'));
    const hook = startHook(t, path, ['--debounce', '0', '--signal', 'USR2', '--pid-file', pidFile]);
    await hook.waitForLog((line) => line.msg === 'subscribed');
    fixture.activate('hello', 1);
    const ack = await fixture.ackFor('hello', 1);
    t.match(ack, { ok: true, message: `sent SIGUSR2 to pid ${server.pid}` });
    await waitFor('the signal to arrive', () => output.includes('got USR2'));
    await writeFile(pidFile, 'garbage');
    fixture.activate('hello', 2);
    t.match(await fixture.ackFor('hello', 2), { ok: false, message: /does not hold a pid/ });
    server.kill();
    await once(server, 'exit');
});
t.test('reload-hook usage errors exit 2', async (t) => {
    const cases = [[], ['--signal', 'USR2'], ['--signal', 'USR2', '--pid-file', '/tmp/x.pid', '--', 'true'], ['--signal', 'NOPE', '--pid-file', '/tmp/x.pid'], ['--debounce', 'soon', '--', 'true']];
    const results = await Promise.all(cases.map((args) => runCli(['reload-hook', '--app', 'hello', '--socket', '/tmp/none.sock', ...args])));
    results.forEach((done, i) => t.equal(done.code, 2, `${cases[i].join(' ')}: ${done.stderr.trim()}`));
});
//# sourceMappingURL=reload-hook.test.js.map