import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CodesyncProcess, runCli } from '../helpers/codesync-process.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { startAgent, startServer, tempDir, waitFor } from '../agent/fixtures.js';
t.test('publish --wait and status --wait follow a rollout to its end, a timeout, a failed ack, no node selected', async (t) => {
    const dir = tempDir(t, 'cs-rollout-');
    const src = join(dir, 'src');
    mkdirSync(src);
    const server = await startServer(t);
    const flags = ['--server', server.url, '--app', 'shop'];
    t.equal((await runCliInProcess(['apps', 'create', 'shop', '--server', server.url, '--selector', 'env=pre'])).code, 0);
    const socket = join(dir, 'run', 'codesync.sock');
    const agentA = new CodesyncProcess(['agent', '--server', server.url, '--root', join(dir, 'root-a'), '--listen', '127.0.0.1:0', '--node', 'node-a', '--labels', 'env=pre,zone=a', '--socket', socket], { env: { CODESYNC_LOG_LEVEL: 'info' } });
    t.teardown(() => agentA.stop('SIGKILL'));
    await agentA.ready();
    const agentB = await startAgent(t, server.url, { node: 'node-b', labels: 'env=pre' });
    const selected = async () => (await (await fetch(`${server.url}/v1/apps/shop/status?seq=1`)).json()).rollout?.selected ?? 0;
    await waitFor('both agents reported their labels', async () => (await selected()) === 2);
    const publish = (version, ...extra) => {
        writeFileSync(join(src, 'index.php'), version);
        return runCli(['publish', src, ...flags, '--cache', join(dir, 'cache.json'), '--wait', ...extra], { env: { CODESYNC_PROGRESS: 'auto' } });
    };
    // Piped, as in CI: `auto` progress is plain lines, not a redrawn terminal line.
    const v1 = await publish('v1');
    t.equal(v1.code, 0, v1.stderr);
    t.match(v1.stdout, /^1 sha256:[0-9a-f]{64}\n$/, 'stdout keeps just "SEQ DIGEST"');
    t.match(v1.stderr, /^shop seq 1: 2\/2 nodes$/m, 'a plain progress line names the count');
    t.match(v1.stderr, /^rollout done: 2\/2 nodes run seq 1 or later\n$/m);
    t.notMatch(v1.stderr, /\r|\x1b\[/, 'no terminal control characters in a log');
    const quiet = await runCliInProcess(['status', ...flags, '--wait', '--progress', 'none']);
    t.match(quiet, { code: 0, stdout: 'shop seq 1: 2/2 nodes, rollout done\n', stderr: '' }, 'status --wait: the latest release is everywhere');
    // node-b stops (its agent dies): the rollout of seq 2 cannot finish, and the timeout says where.
    await agentB.proc.stop('SIGKILL');
    const v2 = await publish('v2', '--timeout', '3s');
    t.equal(v2.code, 1);
    t.match(v2.stdout, /^2 sha256:/, 'the release itself was published');
    t.match(v2.stderr, /^codesync: ROLLOUT_TIMEOUT: rollout of shop seq 2 not done after 3 s \(1\/2 nodes\): node-b \(runs seq 1; last report \S+\)\n$/m);
    t.notMatch(v2.stderr, /ROLLOUT_TIMEOUT.*node-a/, 'a node that is done is not blamed');
    const pinned = await runCliInProcess(['status', ...flags, '--wait', '--seq', '1', '--timeout', '10']);
    t.match(pinned, { code: 0, stdout: 'shop seq 1: 2/2 nodes, rollout done\n' }, '--seq: every node runs seq 1 or later');
    // Only node-a is selected now; its pod's reload fails, which --acks reports at once.
    t.equal((await runCliInProcess(['apps', 'set', 'shop', '--server', server.url, '--selector', 'zone=a'])).code, 0);
    const hook = new CodesyncProcess(['reload-hook', '--app', 'shop', '--socket', socket, '--pod', 'web-1', '--', 'sh', '-c', 'echo config broken >&2; exit 3']);
    t.teardown(() => hook.stop());
    await hook.waitForLog((line) => line.msg === 'subscribed');
    const v3 = await publish('v3', '--acks', '--timeout', '2m');
    t.equal(v3.code, 1);
    t.match(v3.stderr, /^codesync: ROLLOUT_FAILED: rollout of shop seq 3 failed: node-a \(runs seq 3: pod web-1 failed to reload[^)]*\)/m);
    t.match(v3.stderr, /^shop seq 3: 0\/1 nodes acked/m);
    // A selector no reporting node matches can never finish: that is its own failure, at once.
    t.equal((await runCliInProcess(['apps', 'set', 'shop', '--server', server.url, '--selector', 'zone=nowhere'])).code, 0);
    const none = await runCliInProcess(['status', ...flags, '--wait', '--timeout', '5m']);
    t.match(none, { code: 1, stderr: /^codesync: NO_NODES_SELECTED: no node is selected for app shop/ });
    t.match(await runCliInProcess(['status', '--server', server.url, '--wait']), { code: 2, stderr: /--wait needs --app/ });
});
//# sourceMappingURL=rollout-wait.test.js.map