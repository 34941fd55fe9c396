import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FakeKubeApi } from '../helpers/fake-kube-api.js';
import { publishFiles, putApp, startServer, tempDir, waitFor, waitForSeq } from '../agent/fixtures.js';
import { startKubeAgent } from './kube-fixtures.js';
// The Kubernetes API here is a FAKE (test/helpers/fake-kube-api.ts, shaped on the official API
// reference); the agent, the server and @kubernetes/client-node inside the agent are the real ones.
t.test('--label-node-ready labels the Node for every app present, reconciles at start, removes labels of apps gone', async (t) => {
    const api = new FakeKubeApi({ bookmarkMs: 500 });
    await api.start();
    t.teardown(() => api.stop());
    // A stale label from an app this node no longer has, and an operator's codesync.io/ label that is no ready label.
    api.addNode('node-a', { pool: 'web', 'codesync.io/gone': 'ready', 'codesync.io/pool': 'web' });
    const server = await startServer(t);
    await putApp(server.url, 'shop', { nodeSelector: 'pool=web' });
    const seq = await publishFiles(server.url, 'shop', { 'index.php': 'v1' });
    const kubeconfig = await api.writeKubeconfig(tempDir(t));
    const agent = await startKubeAgent(t, server.url, kubeconfig, ['--label-node-ready', '--prune-after', '2s']);
    await waitForSeq(agent, 'shop', seq);
    const labels = () => api.get('Node', 'node-a').metadata.labels ?? {};
    await waitFor('codesync.io/shop=ready', async () => labels()['codesync.io/shop'] === 'ready' && !('codesync.io/gone' in labels()));
    t.equal(labels()['codesync.io/pool'], 'web', "an operator's codesync.io/ label stays");
    const patches = api.calls('PATCH', '/api/v1/nodes/node-a');
    t.ok(patches.length >= 1, 'the Node was patched');
    t.ok(patches.every((call) => call.contentType === 'application/merge-patch+json'), 'with JSON merge patches');
    // Unselected, then pruned after --prune-after: the files go, and the label with them.
    api.labelNode('node-a', { pool: 'batch' });
    await waitFor('the app pruned', async () => !(await readFile(join(agent.root, 'apps/shop/state.json'), 'utf8').then(() => true, () => false)));
    await waitFor('codesync.io/shop removed', async () => !('codesync.io/shop' in labels()));
    t.pass('an app pruned after --prune-after loses its node-ready label');
    t.ok(agent.proc.logs.some((line) => line.msg === 'removed an app this node no longer selects' && line.app === 'shop'), 'the removal is logged');
});
//# sourceMappingURL=node-ready.test.js.map