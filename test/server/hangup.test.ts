import t from 'tap';
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { publishManifest, sha256, startServer, tempDir, type TreeEntry } from './harness.js';

// A client that leaves in the middle of a pack or blobs:fetch download must not take the server
// down: the tar entry being written then errors with ERR_STREAM_PREMATURE_CLOSE, and an 'error'
// without a listener would end the process (seen once under load with a rate-limited curl).
t.test('clients hanging up mid-download leave the server serving', async (t) => {
  const server = await startServer(t, tempDir(t));
  const tree: TreeEntry[] = Array.from({ length: 8 }, (_, i) => ({ path: `f${i}.bin`, type: 'file', mode: 0o644, data: randomBytes(4 << 20) }));
  await publishManifest(server.url, 'big', tree);

  for (const path of ['/v1/apps/big/releases/1/pack', '/v1/blobs:fetch']) {
    for (let round = 0; round < 5; round++) {
      await new Promise<void>((done, fail) => {
        const body = path.endsWith(':fetch') ? JSON.stringify({ sha256: tree.map((e) => (e.type === 'file' ? sha256(e.data) : '')) }) : undefined;
        const req = request(`${server.url}${path}`, { method: body ? 'POST' : 'GET', headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
          // Read nothing so the server's writes back up, then hang up while it is mid-entry.
          res.pause();
          setTimeout(() => {
            req.destroy();
            done();
          }, 100);
        });
        req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? done() : fail(err)));
        req.end(body);
      });
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.equal(server.proc.child.exitCode, null, 'the server is still running');
  t.equal((await fetch(`${server.url}/healthz`)).status, 200, 'and still answers');
  t.same(server.proc.errorLogs().filter((line) => /uncaught|unhandled/i.test(JSON.stringify(line))), [], 'no unhandled error was logged');
});
