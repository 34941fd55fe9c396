import { createServer } from 'node:http';
/** The agent's own small HTTP endpoint: `/metrics`, `/healthz`, `/readyz`. */
export async function startHttpListener(options) {
    const server = createServer((req, res) => {
        const path = (req.url ?? '/').split('?')[0];
        if (req.method !== 'GET' && req.method !== 'HEAD') {
            res.writeHead(405).end();
            return;
        }
        if (path === '/metrics') {
            options.registry.metrics().then((text) => res.writeHead(200, { 'content-type': options.registry.contentType }).end(text), (err) => res.writeHead(500).end(err.message));
        }
        else if (path === '/healthz') {
            res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
        }
        else if (path === '/readyz') {
            const ready = options.ready();
            res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(ready ? 'ready\n' : 'not ready\n');
        }
        else {
            res.writeHead(404).end();
        }
    });
    // Longer than scrapers' idle timeouts, so a scrape never lands on a connection being closed.
    server.keepAliveTimeout = 65_000;
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => resolve());
    });
    const address = server.address();
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return { server, url: `http://${host}:${address.port}` };
}
//# sourceMappingURL=http-listener.js.map