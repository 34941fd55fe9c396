import t from 'tap';
import { once } from 'node:events';
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { BodyChunks } from '../../../agent/link/body-chunks.js';

async function readAll(chunks: BodyChunks): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

t.test('chunks come out whole, in order, and the body pauses at the limit and resumes once half is read', async (t) => {
  const body = new PassThrough();
  const chunks = new BodyChunks(body, 10, new AbortController().signal);
  const written = ['abcd', 'efgh', 'ijkl', 'mnop'].map((text) => Buffer.from(text));
  for (const chunk of written) body.write(chunk);
  body.end();
  await new Promise((resolve) => setImmediate(resolve));
  t.ok(body.isPaused(), 'paused with 12 bytes waiting against a limit of 10');
  const read = await readAll(chunks);
  t.same(read.map(String), written.map(String), 'the chunks as written');
  t.ok(read.every((chunk, i) => chunk === written[i]), 'the very buffers, not copies');
  await t.resolves(chunks.ended);
});

t.test('a body cut short fails the iteration', async (t) => {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-length': '1000' });
    res.write('x'.repeat(100), () => res.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  const { port } = server.address() as AddressInfo;
  const req = request({ host: '127.0.0.1', port, path: '/' });
  req.end();
  const [res] = (await once(req, 'response')) as [IncomingMessage];
  const chunks = new BodyChunks(res, 1024, new AbortController().signal);
  await t.rejects(readAll(chunks));
  await t.rejects(chunks.ended);
});

t.test('an abort ends the iteration with its reason and destroys the body', async (t) => {
  const body = new PassThrough();
  const controller = new AbortController();
  const chunks = new BodyChunks(body, 1024, controller.signal);
  body.write('some');
  const reading = readAll(chunks);
  controller.abort(new Error('stop'));
  await t.rejects(reading, { message: 'stop' });
  t.ok(body.destroyed);
});
