import t from 'tap';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { publishFiles, putApp, startAgent, startServer, waitFor, waitForSeq } from './fixtures.js';
async function status(server, app) {
    return (await (await fetch(`${server}/v1/apps/${app}/status`)).json());
}
async function serverMetric(server, name, labels) {
    const text = await (await fetch(`${server}/metrics`)).text();
    const want = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
    return text.split('\n').find((line) => line.startsWith(`${name}{`) && want.every((pair) => line.includes(pair)));
}
t.test('a node no longer selected leaves the status and lag; nodes list shows it; nodes rm forgets a node', async (t) => {
    const server = await startServer(t);
    await putApp(server.url, 'shop', { nodeSelector: 'tier=web' });
    const seq = await publishFiles(server.url, 'shop', { 'index.php': 'v1' });
    const web = await startAgent(t, server.url, { node: 'web-1', labels: 'tier=web' });
    await waitForSeq(web, 'shop', seq);
    await waitFor('web-1 in the status', async () => (await status(server.url, 'shop')).nodes.length === 1);
    // A second node, reported the way an agent does (PUT /v1/nodes/{node}), stays silent from here on.
    const report = { apps: { shop: { seq, digest: 'sha256:x', activatedAt: new Date().toISOString(), error: null } }, labels: { tier: 'web' } };
    const put = await fetch(`${server.url}/v1/nodes/web-2`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(report) });
    t.equal(put.status, 204);
    // The selector moves away from web-1 (as a relabelled node would move away from the selector).
    await putApp(server.url, 'shop', { nodeSelector: 'tier=api' });
    await waitFor('web-1 gone from the status', async () => !(await status(server.url, 'shop')).nodes.some((node) => node.node === 'web-1'));
    t.pass('a node that no longer selects the app leaves its status');
    t.equal(await serverMetric(server.url, 'codesync_server_node_sync_lag_seconds', { app: 'shop', node: 'web-1' }), undefined, 'and its lag metric');
    const publishedAgain = await publishFiles(server.url, 'shop', { 'index.php': 'v2' });
    t.same((await status(server.url, 'shop')).nodes.map((node) => node.node), ['web-2'], `a new release (seq ${publishedAgain}) does not make it lag`);
    const list = await runCliInProcess(['nodes', 'list', '--server', server.url, '--json']);
    t.equal(list.code, 0, 'nodes list exits 0');
    const nodes = JSON.parse(list.stdout).nodes;
    t.same(nodes.map((node) => [node.node, node.apps.shop?.selected]), [
        ['web-1', false],
        ['web-2', true],
    ], 'nodes list shows both, shop held but unselected on web-1');
    const table = await runCliInProcess(['nodes', 'list', '--server', server.url]);
    t.match(table.stdout, /web-1 .* shop@1 \(unselected\)/, 'the table marks it');
    // An agent gone: rm forgets it at once; a silent node that is not removed stays, lagging.
    await web.proc.stop();
    const rm = await runCliInProcess(['nodes', 'rm', 'web-1', '--server', server.url]);
    t.equal(rm.code, 0, 'nodes rm exits 0');
    t.match(rm.stdout, /forgot node web-1/);
    const again = await runCliInProcess(['nodes', 'rm', 'web-1', '--server', server.url]);
    t.equal(again.code, 1, 'removing an unknown node fails');
    t.match(again.stderr, /NODE_NOT_FOUND/);
    t.same((await status(server.url, 'shop')).nodes.map((node) => node.node), ['web-2'], 'the removed node is gone; the silent one stays (and lags)');
});
t.test('a node silent for --forget-nodes-after is forgotten, logged and counted', async (t) => {
    const server = await startServer(t, ['--forget-nodes-after', '2s']);
    const report = { apps: { shop: { seq: 1, digest: 'sha256:x', activatedAt: null, error: null } }, labels: {} };
    const put = await fetch(`${server.url}/v1/nodes/web-2`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(report) });
    t.equal(put.status, 204);
    await server.proc.waitForLog((line) => line.msg === 'forgot a node silent past --forget-nodes-after' && line.node === 'web-2');
    const after = (await (await fetch(`${server.url}/v1/nodes`)).json());
    t.same(after.nodes, [], 'no node left');
    t.match(await (await fetch(`${server.url}/metrics`)).text(), /^codesync_server_nodes_forgotten_total 1$/m, 'forgetting is counted');
});
//# sourceMappingURL=leaving.test.js.map