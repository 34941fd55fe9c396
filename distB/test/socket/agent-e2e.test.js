import t from 'tap';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CodesyncProcess, runCli } from '../helpers/codesync-process.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { publish, startServer, tempDir, waitFor } from '../agent/fixtures.js';
import { badResponses, startNginx, startPhpFpm, startPhpLoad } from './fixtures/web-servers.js';
/** The source tree CI would publish: index.php and lib.php both print the release they belong to. */
async function writeSource(dir, release) {
    await mkdir(join(dir, 'public'), { recursive: true });
    await writeFile(join(dir, 'lib.php'), `<?php\nfunction lib_release() { return ${release}; }\n`);
    await writeFile(join(dir, 'public', 'index.php'), `<?php\n$index_release = ${release};\nrequire __DIR__ . '/../lib.php';\necho "index=$index_release lib=" . lib_release() . "\\n";\n`);
}
t.test('publish → agent switch → reload-hook reloads php-fpm behind nginx; acks and a dead reload URL show in status', async (t) => {
    const dir = tempDir(t, 'cs-e2e-');
    const root = join(dir, 'root');
    const socket = join(dir, 'run', 'codesync.sock');
    const src = join(dir, 'src');
    const deadUrl = 'http://127.0.0.1:1/-/reload';
    const server = await startServer(t);
    const agent = new CodesyncProcess(['agent', '--server', server.url, '--root', root, '--listen', '127.0.0.1:0', '--node', 'node-a', '--socket', socket, '--reload-url', `shop=${deadUrl}`], { env: { CODESYNC_LOG_LEVEL: 'info' } });
    t.teardown(() => agent.stop());
    const agentUrl = await agent.ready();
    // The init container: blocks until the node holds the app, then the pod starts.
    const waiting = runCli(['wait', '--app', 'shop', '--socket', socket, '--timeout', '60']);
    await writeSource(src, 1);
    await publish(server.url, 'shop', src);
    const waited = await waiting;
    t.equal(waited.code, 0, waited.stderr);
    t.equal(waited.stdout, `${join(root, 'apps', 'shop', 'current')}\n`);
    const fpm = await startPhpFpm(t, join(dir, 'php'));
    const nginx = await startNginx(t, join(dir, 'nginx'), join(root, 'apps', 'shop'), fpm.socket);
    const hook = new CodesyncProcess(['reload-hook', '--app', 'shop', '--socket', socket, '--pod', 'shop-web-0', '--signal', 'USR2', '--pid-file', fpm.pidFile]);
    t.teardown(() => hook.stop());
    await hook.waitForLog((line) => line.msg === 'subscribed');
    const metrics = await (await fetch(`${agentUrl}/metrics`)).text();
    t.match(metrics, /codesync_agent_reload_subscribers\{app="shop"\} 1/);
    const load = startPhpLoad(t, nginx.url, 3);
    const get = load.get;
    t.same(await get(), { status: 200, body: 'index=1 lib=1' });
    const seen = [];
    let seq = 0;
    for (let release = 2; release <= 11; release++) {
        await writeSource(src, release);
        seq = await publish(server.url, 'shop', src);
        await hook.waitForLog((line) => line.msg === 'reload finished' && line.seq === seq);
        seen.push((await get()).body);
    }
    const responses = await load.stop();
    t.same(seen, Array.from({ length: 10 }, (_, i) => `index=${i + 2} lib=${i + 2}`), 'the next response after each reload shows the new code');
    t.same(badResponses(responses), [], `no 5xx and no mixed response among ${responses.length}`);
    // The pod's ack and the dead reload URL both reach the rollout view; the sync itself succeeded.
    let row;
    await waitFor('both acks in codesync status', async () => {
        const status = await runCliInProcess(['status', '--server', server.url, '--app', 'shop', '--json']);
        row = JSON.parse(status.stdout).nodes.find((node) => node.node === 'node-a');
        return row?.acks?.ok === 1 && row.acks.failed === 1;
    });
    t.notOk(row?.error, 'the sync itself succeeded');
    t.match(row, { seq, lagSeconds: 0, acks: { ok: 1, failed: 1, failures: [{ pod: deadUrl, message: /ECONNREFUSED/ }] } });
    const table = await runCliInProcess(['status', '--server', server.url, '--app', 'shop']);
    t.match(table.stdout, /ACKS OK\s+ACKS FAILED/);
});
//# sourceMappingURL=agent-e2e.test.js.map