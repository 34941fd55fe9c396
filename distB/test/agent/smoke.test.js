import t from 'tap';
import { mkdir, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { heldSeq, metric, publish, snapshot, startAgent, startServer, tempDir, waitFor, waitForSeq } from './fixtures.js';
t.test('an agent installs a published tree', async (t) => {
    const server = await startServer(t);
    const src = tempDir(t);
    await mkdir(join(src, 'a'));
    await writeFile(join(src, 'a', 'x.txt'), 'hello\n');
    await writeFile(join(src, 'b.txt'), 'b\n');
    const seq = await publish(server.url, 'hello', src);
    const agent = await startAgent(t, server.url);
    await waitForSeq(agent, 'hello', seq);
    t.same(await snapshot(join(agent.root, 'apps/hello/current')), await snapshot(src));
    await writeFile(join(src, 'b.txt'), 'b2\n');
    const seq2 = await publish(server.url, 'hello', src);
    await waitForSeq(agent, 'hello', seq2);
    t.equal(await heldSeq(agent.root, 'hello'), seq2);
    t.same(await snapshot(join(agent.root, 'apps/hello/current')), await snapshot(src));
    // The node report reaches the server's rollout view.
    await waitFor('the node report', async () => {
        const status = (await (await fetch(`${server.url}/v1/apps/hello/status`)).json());
        return status.nodes.some((node) => node.node === 'node-a' && node.seq === seq2 && !node.error);
    });
    t.pass('the server sees node-a on the latest seq');
    t.equal(await metric(agent.url, 'codesync_agent_release_seq', { app: 'hello' }), seq2);
    t.equal(await metric(agent.url, 'codesync_agent_latest_seq', { app: 'hello' }), seq2);
    t.equal(await metric(agent.url, 'codesync_agent_sync_lag_seconds', { app: 'hello' }), 0);
    t.equal(await metric(agent.url, 'codesync_agent_server_connected'), 1);
    t.ok((await metric(agent.url, 'codesync_agent_last_sync_timestamp_seconds', { app: 'hello' })) > 0);
    t.ok((await metric(agent.url, 'codesync_agent_sync_duration_seconds_count', { app: 'hello', result: 'ok' })) >= 2);
    t.ok((await metric(agent.url, 'codesync_agent_fetched_files_total', { app: 'hello' })) >= 3);
    t.equal((await fetch(`${agent.url}/healthz`)).status, 200);
    // The filesystem of --root, read at scrape time: what the root-filling alert divides.
    const space = await statfs(agent.root);
    t.equal(await metric(agent.url, 'codesync_agent_root_size_bytes'), space.blocks * space.bsize);
    t.ok((await metric(agent.url, 'codesync_agent_root_free_bytes')) > 0);
    // A vanished server: the agent notices, keeps serving, and the lag of a later release grows.
    await server.proc.stop('SIGKILL');
    await waitFor('disconnected', async () => (await metric(agent.url, 'codesync_agent_server_connected')) === 0);
    t.equal(await heldSeq(agent.root, 'hello'), seq2, 'the last good release keeps serving without a server');
});
//# sourceMappingURL=smoke.test.js.map