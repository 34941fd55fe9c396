import t from 'tap';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { heldSeq, publish, snapshot, startAgent, startServer, tempDir, waitForSeq } from './fixtures.js';

t.test('an agent installs a published tree', async (t) => {
  const server = await startServer(t);
  const src = tempDir(t);
  await mkdir(join(src, 'a'));
  await writeFile(join(src, 'a', 'x.txt'), 'hello\n');
  await writeFile(join(src, 'b.txt'), 'b\n');
  const seq = await publish(server.url, 'hello', src);
  const agent = await startAgent(t, server.url);
  await waitForSeq(agent.root, 'hello', seq);
  t.same(await snapshot(join(agent.root, 'apps/hello/current')), await snapshot(src));
  await writeFile(join(src, 'b.txt'), 'b2\n');
  const seq2 = await publish(server.url, 'hello', src);
  await waitForSeq(agent.root, 'hello', seq2);
  t.equal(await heldSeq(agent.root, 'hello'), seq2);
  t.same(await snapshot(join(agent.root, 'apps/hello/current')), await snapshot(src));
});
