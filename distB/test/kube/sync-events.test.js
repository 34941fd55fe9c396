import t from 'tap';
import { createHash } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FakeKubeApi } from '../helpers/fake-kube-api.js';
import { heldSeq, metric, publishFiles, putApp, startServer, tempDir, waitFor, waitForSeq } from '../agent/fixtures.js';
import { startKubeAgent } from './kube-fixtures.js';
// The Kubernetes API here is a FAKE (test/helpers/fake-kube-api.ts, shaped on the official API
// reference); the agent, the server and @kubernetes/client-node inside the agent are the real ones.
t.test('a failing sync makes one Event on the Node, not one per retry; a recovery Event follows', async (t) => {
    const api = new FakeKubeApi({ bookmarkMs: 500 });
    await api.start();
    t.teardown(() => api.stop());
    api.addNode('node-a', {});
    const server = await startServer(t);
    await putApp(server.url, 'shop', {});
    const kubeconfig = await api.writeKubeconfig(tempDir(t));
    const seq1 = await publishFiles(server.url, 'shop', { 'index.php': 'v1' });
    const agent = await startKubeAgent(t, server.url, kubeconfig);
    await waitForSeq(agent, 'shop', seq1);
    // The next release's blob is tampered with in the server store: every sync attempt fails.
    const content = 'v2 tampered with';
    const sha = createHash('sha256').update(content).digest('hex');
    const seq2 = await publishFiles(server.url, 'shop', { 'index.php': content });
    const blob = join(server.data, 'blobs/sha256', sha.slice(0, 2), sha);
    await chmod(blob, 0o644);
    await writeFile(blob, 'XX');
    const failures = () => metric(agent.url, 'codesync_agent_sync_failures_total', { app: 'shop' });
    await waitFor('three failed syncs', async () => (await failures()) >= 3);
    const created = api.calls('POST', '/api/v1/namespaces/default/events').map((call) => call.body);
    t.equal(created.length, 1, `one Event for ${await failures()} failed attempts`);
    t.match(created[0], { reason: 'SyncFailed', type: 'Warning', involvedObject: { kind: 'Node', name: 'node-a', uid: api.get('Node', 'node-a').metadata.uid } }, 'a Warning on the Node');
    t.match(created[0]?.message, /shop: CHECKSUM_MISMATCH/, 'saying which app and why');
    await writeFile(blob, content);
    await waitForSeq(agent, 'shop', seq2);
    await waitFor('the SyncRecovered Event', async () => api.list('Event').some((event) => event.reason === 'SyncRecovered'));
    const recovered = api.list('Event').find((event) => event.reason === 'SyncRecovered');
    t.match(recovered, { type: 'Normal', involvedObject: { kind: 'Node', name: 'node-a' }, message: `shop: release ${seq2} is current` }, 'a Normal recovery Event follows');
    t.equal(api.list('Event').filter((event) => event.reason === 'SyncFailed').length, 1, 'still one SyncFailed Event');
    t.equal(await heldSeq(agent.root, 'shop'), seq2);
});
//# sourceMappingURL=sync-events.test.js.map