import { createServer } from 'node:http';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import t, {} from 'tap';
import { HttpTransport } from '../../../protocol/client/http-transport.js';
async function serve(t, handler) {
    const server = createServer(handler);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.teardown(() => {
        server.closeAllConnections();
        server.close();
    });
    return `http://127.0.0.1:${server.address().port}`;
}
function transport(t, server, options = {}) {
    const http = new HttpTransport({ server, ...options });
    t.teardown(() => http.close());
    return http;
}
const signal = new AbortController().signal;
t.test('a JSON answer is read; the token and accept headers go with the request', async (t) => {
    let seen;
    const url = await serve(t, (req, res) => {
        seen = req;
        res.setHeader('x-codesync-store-id', 'store-1');
        res.end(JSON.stringify({ ok: true }));
    });
    const http = transport(t, url, { token: 's3cret' });
    const response = await http.send('/v1/x', { method: 'GET', signal });
    t.equal((await http.read(response.body, 1024, 'GET /v1/x', response.headers, signal)).toString(), '{"ok":true}');
    t.equal(response.headers['x-codesync-store-id'], 'store-1');
    t.equal(seen?.headers.authorization, 'Bearer s3cret');
    t.equal(seen?.headers.accept, 'application/json');
});
t.test('no headers within the headers timeout is SERVER_UNREACHABLE, and so is a body that stalls', async (t) => {
    const url = await serve(t, (req, res) => {
        if (req.url === '/stall-body') {
            res.writeHead(200, { 'content-length': '10' });
            res.write('12345');
        }
        // Otherwise never answered.
    });
    const http = transport(t, url, { timeouts: { headersMs: 200, bodyIdleMs: 200 } });
    await t.rejects(http.send('/silent', { method: 'GET', signal }), { code: 'SERVER_UNREACHABLE', message: /no answer within 200 ms/ });
    const response = await http.send('/stall-body', { method: 'GET', signal });
    await t.rejects(http.read(response.body, 1024, 'GET /stall-body', response.headers, signal), { code: 'SERVER_UNREACHABLE', message: /no body bytes for 200 ms/ });
});
t.test('an upload is not cut by the headers timeout while it is still being written', async (t) => {
    const url = await serve(t, (req, res) => {
        let bytes = 0;
        req.on('data', (chunk) => (bytes += chunk.length));
        req.on('end', () => res.end(JSON.stringify({ bytes })));
    });
    const http = transport(t, url, { timeouts: { headersMs: 2000 } });
    // Eight chunks 500 ms apart: 4 s in all, twice the headers timeout, never idle that long.
    const body = Readable.from((async function* () {
        for (let i = 0; i < 8; i++) {
            await new Promise((resolve) => setTimeout(resolve, 500));
            yield Buffer.alloc(1000);
        }
    })());
    const response = await http.send('/upload', { method: 'POST', signal, body });
    t.same(JSON.parse((await http.read(response.body, 1024, 'POST', response.headers, signal)).toString()), { bytes: 8_000 });
});
t.test('an idempotent read is retried after a 503; a POST is not', async (t) => {
    const hits = [];
    const url = await serve(t, (req, res) => {
        hits.push(`${req.method} ${req.url}`);
        if (hits.filter((hit) => hit === `${req.method} ${req.url}`).length === 1) {
            res.writeHead(503).end('restarting');
            return;
        }
        res.end('{}');
    });
    const http = transport(t, url);
    const response = await http.send('/read', { method: 'GET', signal, idempotent: true });
    t.equal(response.statusCode, 200);
    response.body.resume();
    await t.rejects(http.send('/write', { method: 'POST', signal, body: '{}' }), { code: 'SERVER_UNREACHABLE', message: /503/ });
    t.same(hits, ['GET /read', 'GET /read', 'POST /write']);
});
t.test("an error answer becomes the server's own code; a refused connection is SERVER_UNREACHABLE", async (t) => {
    const url = await serve(t, (_req, res) => {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'APP_NOT_FOUND', message: 'no app web' } }));
    });
    await t.rejects(transport(t, url).send('/v1/apps/web', { method: 'GET', signal }), { code: 'APP_NOT_FOUND', message: 'no app web' });
    // A port just freed: nothing listens there.
    const gone = createServer().listen(0, '127.0.0.1');
    await once(gone, 'listening');
    const port = gone.address().port;
    await new Promise((resolve) => gone.close(resolve));
    await t.rejects(transport(t, `http://127.0.0.1:${port}`, { retries: 0 }).send('/x', { method: 'GET', signal }), { code: 'SERVER_UNREACHABLE', message: /ECONNREFUSED/ });
});
t.test('an abort ends the request as ABORTED', async (t) => {
    const url = await serve(t, () => { });
    const controller = new AbortController();
    const pending = transport(t, url).send('/slow', { method: 'GET', signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await t.rejects(pending, { code: 'ABORTED' });
});
t.test('requests beyond the pool wait for a connection', async (t) => {
    let open = 0;
    let peak = 0;
    const url = await serve(t, (_req, res) => {
        open++;
        peak = Math.max(peak, open);
        setTimeout(() => {
            open--;
            res.end('{}');
        }, 50);
    });
    const http = transport(t, url, { connections: 2 });
    await Promise.all(Array.from({ length: 6 }, async () => {
        const response = await http.send('/x', { method: 'GET', signal });
        await http.read(response.body, 16, 'GET /x', response.headers, signal);
    }));
    t.equal(peak, 2);
});
//# sourceMappingURL=http-transport.unit.js.map