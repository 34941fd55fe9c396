import t from 'tap';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { FakeKubeApi } from '../helpers/fake-kube-api.js';
import { publishFiles, putApp, startServer, tempDir, waitFor, waitForSeq } from '../agent/fixtures.js';
import { startKubeAgent } from './kube-fixtures.js';
// The Kubernetes API here is a FAKE (test/helpers/fake-kube-api.ts, shaped on the official API
// reference); the agent, the server and @kubernetes/client-node inside the agent are the real ones.
/** A real HTTP server standing in for a pod's reload endpoint; records every POST body. */
async function startPodServer(t, status = 200) {
    const posts = [];
    const server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk) => (body += chunk));
        req.on('end', () => {
            posts.push(JSON.parse(body));
            res.writeHead(status).end(status === 200 ? 'reloaded' : 'broken');
        });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.teardown(() => new Promise((resolve) => server.close(() => resolve())));
    return { port: server.address().port, posts };
}
t.test('annotated pods on the node are reloaded; pods elsewhere are not; a failing reload is an Event on the Pod', async (t) => {
    const api = new FakeKubeApi({ bookmarkMs: 500 });
    await api.start();
    t.teardown(() => api.stop());
    api.addNode('node-a', {});
    api.addNode('node-b', {});
    const here = await startPodServer(t);
    const elsewhere = await startPodServer(t);
    const broken = await startPodServer(t, 503);
    const annotations = (port) => ({ 'codesync.io/app': 'shop', 'codesync.io/reload-url': `http://:${port}/-/reload` });
    // Every pod is on 127.0.0.1 here, so each gets its own port to tell which one was called.
    api.addPod('web', 'shop-a', { nodeName: 'node-a', podIP: '127.0.0.1', annotations: annotations(here.port) });
    api.addPod('web', 'shop-b', { nodeName: 'node-b', podIP: '127.0.0.1', annotations: annotations(elsewhere.port) });
    api.addPod('web', 'shop-broken', { nodeName: 'node-a', podIP: '127.0.0.1', annotations: annotations(broken.port) });
    api.addPod('web', 'unannotated', { nodeName: 'node-a', podIP: '127.0.0.1' });
    const server = await startServer(t);
    await putApp(server.url, 'shop', {});
    const kubeconfig = await api.writeKubeconfig(tempDir(t));
    const agent = await startKubeAgent(t, server.url, kubeconfig);
    await agent.proc.waitForLog((line) => line.msg === 'node labels changed');
    await waitFor('the pod watch', async () => api.calls('GET', '/api/v1/pods').some((call) => call.query.get('watch') === 'true'));
    t.equal(api.calls('GET', '/api/v1/pods')[0]?.query.get('fieldSelector'), 'spec.nodeName=node-a', 'pods are listed by spec.nodeName');
    const seq = await publishFiles(server.url, 'shop', { 'index.php': 'v1' });
    await waitFor('the reload POST', async () => here.posts.length > 0);
    t.match(here.posts[0], { app: 'shop', seq, path: join(agent.root, 'apps/shop/current') }, 'the pod on the node got the reload POST, at its IP');
    await waitFor('the ReloadFailed Event', async () => api.list('Event').some((event) => event.reason === 'ReloadFailed'));
    const failed = api.list('Event').find((event) => event.reason === 'ReloadFailed');
    t.match(failed, { type: 'Warning', involvedObject: { kind: 'Pod', name: 'shop-broken', namespace: 'web' }, source: { component: 'codesync-agent', host: 'node-a' } }, 'a failing reload is a Warning Event on that Pod');
    t.equal(failed.metadata.namespace, 'web', "in the pod's namespace");
    t.equal(elsewhere.posts.length, 0, 'the pod on another node got nothing');
    t.ok(broken.posts.length >= 1, 'the broken pod was called (and retried)');
    // A pod scheduled later is followed by the watch.
    const late = await startPodServer(t);
    api.addPod('web', 'shop-late', { nodeName: 'node-a', podIP: '127.0.0.1', annotations: annotations(late.port) });
    await agent.proc.waitForLog((line) => line.msg === 'pod reload targets changed' && line.targets.includes('web/shop-late'));
    const seq2 = await publishFiles(server.url, 'shop', { 'index.php': 'v2' });
    await waitForSeq(agent, 'shop', seq2);
    await waitFor('the late pod reloaded', async () => late.posts.length > 0);
    t.match(late.posts[0], { seq: seq2 }, 'a pod added later gets the next reload');
    t.equal(elsewhere.posts.length, 0, 'still nothing for the pod on another node');
});
//# sourceMappingURL=pods.test.js.map