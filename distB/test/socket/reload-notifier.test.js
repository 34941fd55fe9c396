import t, {} from 'tap';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { pino } from 'pino';
import { ActivationFeed } from '../../agent/reload/activation-feed.js';
import { startReloadNotifier } from '../../agent/reload/targets/reload-notifier.js';
import { collectReloadUrl, combineReloadTargets, staticReloadTargets } from '../../agent/reload/targets/reload-target-source.js';
import { waitFor } from '../helpers/wait-for.js';
/** A pod's reload endpoint on loopback: answers each request with `answer(n)` (n counts from 0). */
async function reloadEndpoint(t, answer) {
    const hits = [];
    const server = createServer(async (req, res) => {
        let text = '';
        for await (const chunk of req)
            text += chunk;
        hits.push({ path: req.url ?? '', body: JSON.parse(text) });
        const status = answer(hits.length - 1);
        if (status === 'hang')
            return;
        res.writeHead(status).end(status >= 400 ? 'reload broke' : '');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.teardown(() => {
        server.closeAllConnections();
        server.close();
    });
    return { url: `http://127.0.0.1:${server.address().port}/-/reload`, hits };
}
function notifiedFeed(t, urls, options = {}) {
    const feed = new ActivationFeed();
    const acks = [];
    feed.on('ack', (_app, ack) => acks.push(ack));
    const controller = new AbortController();
    t.teardown(() => controller.abort());
    startReloadNotifier({ targets: staticReloadTargets(urls), feed, logger: pino({ level: 'silent' }), signal: controller.signal, backoffMs: 10, ...options });
    const activate = (seq) => feed.activate({ app: 'hello', seq, digest: `sha256:${'a'.repeat(64)}`, path: '/srv/hello/current', activatedAt: new Date().toISOString() });
    return { feed, acks, activate };
}
t.test('POSTs each activation to every reload URL of the app and records the outcome as an ack', async (t) => {
    const good = await reloadEndpoint(t, () => 204);
    const flaky = await reloadEndpoint(t, (n) => (n < 2 ? 503 : 200));
    const other = await reloadEndpoint(t, () => 204);
    const { acks, activate } = notifiedFeed(t, { hello: [good.url, flaky.url], other: [other.url] });
    activate(1);
    await waitFor('two acks', () => acks.length === 2);
    t.same(good.hits, [{ path: '/-/reload', body: { app: 'hello', seq: 1, digest: `sha256:${'a'.repeat(64)}`, path: '/srv/hello/current' } }]);
    t.equal(flaky.hits.length, 3, 'retried through two 503s');
    t.match(acks.find((ack) => ack.pod === good.url), { seq: 1, ok: true, message: 'HTTP 204' });
    t.match(acks.find((ack) => ack.pod === flaky.url), { seq: 1, ok: true, message: 'HTTP 200' });
    t.equal(other.hits.length, 0, 'only the app\'s own URLs are called');
});
t.test('a dead, hanging or refusing URL is a failed ack, not a failure', async (t) => {
    const closed = await reloadEndpoint(t, () => 204);
    const deadUrl = closed.url.replace(/:\d+\//, ':1/');
    const hanging = await reloadEndpoint(t, () => 'hang');
    const refusing = await reloadEndpoint(t, () => 404);
    const { acks, activate } = notifiedFeed(t, { hello: [deadUrl, hanging.url, refusing.url] }, { timeoutMs: 300, retries: 2 });
    activate(1);
    await waitFor('three acks', () => acks.length === 3);
    t.match(acks.find((ack) => ack.pod === deadUrl), { ok: false, message: /ECONNREFUSED/ });
    t.match(acks.find((ack) => ack.pod === hanging.url), { ok: false, message: /no answer within 300 ms/ });
    t.equal(hanging.hits.length, 3, 'a hanging URL is tried 1 + retries times');
    t.match(acks.find((ack) => ack.pod === refusing.url), { ok: false, message: /^HTTP 404: reload broke/ });
    t.equal(refusing.hits.length, 1, 'a 4xx is not retried');
});
t.test('apps already active when the notifier starts are not notified again', async (t) => {
    const endpoint = await reloadEndpoint(t, () => 204);
    const feed = new ActivationFeed();
    const state = { app: 'hello', seq: 5, digest: `sha256:${'b'.repeat(64)}`, path: '/srv/hello/current', activatedAt: new Date().toISOString() };
    feed.activate(state);
    const controller = new AbortController();
    t.teardown(() => controller.abort());
    const acks = [];
    feed.on('ack', (_app, ack) => acks.push(ack));
    startReloadNotifier({ targets: combineReloadTargets(staticReloadTargets({ hello: [endpoint.url] })), feed, logger: pino({ level: 'silent' }), signal: controller.signal });
    feed.activate(state);
    feed.activate({ ...state, seq: 6 });
    await waitFor('one ack', () => acks.length === 1);
    t.same(endpoint.hits.map((hit) => hit.body.seq), [6]);
});
t.test('--reload-url app=URL parsing', async (t) => {
    const urls = ['hello=http://10.0.0.5:8080/-/reload', 'hello=https://web.internal/reload', 'api=http://127.0.0.1:9000/'].reduce((all, value) => collectReloadUrl(value, all), {});
    t.same(urls, { hello: ['http://10.0.0.5:8080/-/reload', 'https://web.internal/reload'], api: ['http://127.0.0.1:9000/'] });
    for (const bad of ['http://x/', 'hello', 'Bad=http://x/', 'hello=ftp://x/', 'hello=not a url'])
        t.throws(() => collectReloadUrl(bad), { code: 'USAGE' }, bad);
});
//# sourceMappingURL=reload-notifier.test.js.map