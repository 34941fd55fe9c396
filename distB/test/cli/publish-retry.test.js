import t from 'tap';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { CodesyncProcess } from '../helpers/codesync-process.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { waitFor } from '../agent/fixtures.js';
import { startServer } from './server-fixture.js';
import { sha256Hex } from '../../protocol/sha256.js';
t.test('publish rides out a server restart: connection refused is retried with backoff until --retry-timeout', async (t) => {
    const dir = t.testdir({ data: {}, tree: { 'index.php': '<?php echo 1;' } });
    const first = await startServer(t, join(dir, 'data'));
    const url = first.url;
    t.equal((await runCliInProcess(['apps', 'create', 'demo', '--server', url, '--selector', ''])).code, 0);
    await first.server.stop();
    // The server is down when the CI job starts publishing.
    const publish = new CodesyncProcess(['publish', join(dir, 'tree'), '--server', url, '--app', 'demo', '--cache', join(dir, 'c.json'), '--json', '--retry-timeout', '2m'], {
        env: { CODESYNC_PROGRESS: 'plain' },
    });
    t.teardown(() => publish.stop('SIGKILL'));
    await waitFor('a retry notice', async () => publish.stderr.some((line) => /SERVER_UNREACHABLE|cannot reach/.test(line) && /retrying in \d+\.\d s$/.test(line)));
    await startServer(t, join(dir, 'data'), ['--listen', new URL(url).host]);
    const published = await publish.waitForLog((line) => typeof line.seq === 'number');
    t.match(published, { seq: 1, unchanged: false });
    t.same(await publish.exited, { code: 0, signal: null }, 'the job succeeds once the server is back');
    const giveUp = await runCliInProcess(['publish', join(dir, 'tree'), '--server', 'http://127.0.0.1:9', '--app', 'demo', '--cache', join(dir, 'c.json'), '--retry-timeout', '1s']);
    t.match(giveUp, { code: 1, stderr: /^codesync: SERVER_UNREACHABLE: cannot reach http:\/\/127\.0\.0\.1:9/ }, 'past --retry-timeout the error is reported');
});
t.test('a connection reset in the middle of a blob upload is an error the CLI reports, not a crash', async (t) => {
    const files = {};
    for (let i = 0; i < 200; i++)
        files[`f${i}.txt`] = `${i}`.padEnd(20_000, 'x');
    const dir = t.testdir({ tree: files });
    // A loopback HTTP server that asks for every blob, then drops each upload once it starts: the
    // body's tar stream is destroyed while the CLI is still writing entries into it.
    const missing = Object.values(files).map((content) => sha256Hex(content));
    let resets = 0;
    const server = createServer((req, res) => {
        if (req.method === 'POST' && req.url?.startsWith('/v1/apps/demo/releases')) {
            req.resume();
            req.on('end', () => {
                res.writeHead(409, { 'content-type': 'application/json' });
                res.end(JSON.stringify({ error: { code: 'BLOBS_MISSING', message: 'upload them' }, missing }));
            });
            return;
        }
        if (req.method === 'HEAD') {
            // It holds no blob: the first publish from here uploads them ahead of the manifest.
            res.writeHead(404).end();
            return;
        }
        req.once('data', () => {
            resets++;
            req.socket.destroy();
        });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.teardown(() => server.close());
    const { port } = server.address();
    const publish = await runCliInProcess(['publish', join(dir, 'tree'), '--server', `http://127.0.0.1:${port}`, '--app', 'demo', '--cache', join(dir, 'c.json'), '--retry-timeout', '1s']);
    t.ok(resets > 0, 'the upload was cut');
    t.equal(publish.code, 1);
    t.match(publish.stderr, /^codesync: [A-Z_]+: /m, 'one error line with its code');
    t.notMatch(publish.stderr, /Emitted 'error' event|node:internal/, 'no unhandled error');
});
//# sourceMappingURL=publish-retry.test.js.map