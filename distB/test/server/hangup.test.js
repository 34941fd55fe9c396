import t from 'tap';
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { publishManifest, sha256, startServer, tempDir } from './harness.js';
// A client that leaves in the middle of a pack or blobs:fetch download must not take the server
// down: the tar entry being written then errors with ERR_STREAM_PREMATURE_CLOSE, and an 'error'
// without a listener would end the process (seen once under load with a rate-limited curl).
t.test('clients hanging up mid-download leave the server serving', async (t) => {
    const server = await startServer(t, tempDir(t), [], { logLevel: 'debug' });
    const tree = Array.from({ length: 8 }, (_, i) => ({ path: `f${i}.bin`, type: 'file', mode: 0o644, data: randomBytes(4 << 20) }));
    await publishManifest(server.url, 'big', tree);
    // The server logs (debug) each blob stream it closes, a hung-up one included.
    const closed = () => server.proc.logs.filter((line) => line.msg === 'blob stream closed').length;
    let hangups = 0;
    for (const path of ['/v1/apps/big/releases/1/pack', '/v1/blobs:fetch']) {
        for (let round = 0; round < 5; round++) {
            await new Promise((done, fail) => {
                const body = path.endsWith(':fetch') ? JSON.stringify({ sha256: tree.map((e) => (e.type === 'file' ? sha256(e.data) : '')) }) : undefined;
                const req = request(`${server.url}${path}`, { method: body ? 'POST' : 'GET', headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
                    // Hang up on the first bytes of 32 MiB: the server is mid-entry.
                    res.once('data', () => {
                        req.destroy();
                        done();
                    });
                });
                req.on('error', (err) => (err.code === 'ECONNRESET' ? done() : fail(err)));
                req.end(body);
            });
            hangups++;
            await server.proc.waitForLog(() => closed() >= hangups);
        }
    }
    t.equal(closed(), 10, 'the server closed the stream of every client that hung up');
    t.equal(server.proc.child.exitCode, null, 'the server is still running');
    t.equal((await fetch(`${server.url}/healthz`)).status, 200, 'and still answers');
    t.same(server.proc.errorLogs().filter((line) => /uncaught|unhandled/i.test(JSON.stringify(line))), [], 'no unhandled error was logged');
});
//# sourceMappingURL=hangup.test.js.map