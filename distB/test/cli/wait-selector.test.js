import t from 'tap';
import { join } from 'node:path';
import { CodesyncProcess } from '../helpers/codesync-process.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { publishFiles, startServer, tempDir, waitFor } from '../agent/fixtures.js';
t.test('codesync wait on a node the app does not select says so at once, with labels and selector', async (t) => {
    const dir = tempDir(t, 'cs-wait-sel-');
    const server = await startServer(t);
    t.equal((await runCliInProcess(['apps', 'create', 'shop', '--server', server.url, '--selector', 'zone=b'])).code, 0);
    await publishFiles(server.url, 'shop', { 'index.php': 'v1' });
    const socket = join(dir, 'codesync.sock');
    const agent = new CodesyncProcess(['agent', '--server', server.url, '--root', join(dir, 'root'), '--listen', '127.0.0.1:0', '--node', 'node-a', '--labels', 'env=pre,zone=a', '--socket', socket], { env: { CODESYNC_LOG_LEVEL: 'info' } });
    t.teardown(() => agent.stop('SIGKILL'));
    await agent.waitForLog((line) => line.msg === 'reload socket listening');
    // Until the agent has listed the apps it cannot know; from then on the answer is immediate.
    const wait = (timeout) => runCliInProcess(['wait', '--app', 'shop', '--socket', socket, '--timeout', timeout]);
    await waitFor('the agent to know the app', async () => /APP_NOT_SELECTED/.test((await wait('1')).stderr));
    const refused = await wait('300');
    t.equal(refused.code, 1, 'answered long before the 300 s timeout');
    t.equal(refused.stderr, 'codesync: APP_NOT_SELECTED: app shop will not arrive on node node-a: its selector "zone=b" does not match the node\'s labels {env=pre,zone=a}\n');
    t.equal((await runCliInProcess(['apps', 'set', 'shop', '--server', server.url, '--selector', 'zone in (a,b)'])).code, 0);
    await agent.waitForLog((line) => line.msg === 'switched' && line.app === 'shop');
    const arrived = await wait('120');
    t.match(arrived, { code: 0, stdout: `${join(dir, 'root', 'apps', 'shop', 'current')}\n` }, 'selected now: the app arrives');
});
//# sourceMappingURL=wait-selector.test.js.map