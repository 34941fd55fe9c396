import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startAgent, waitFor } from './fixtures.js';
import { HostileServer } from './hostile-server.js';

interface State {
  seq: number;
  digest: string;
  storeId?: string;
}

async function state(root: string, app: string): Promise<State | undefined> {
  try {
    return JSON.parse(await readFile(join(root, 'apps', app, 'state.json'), 'utf8')) as State;
  } catch {
    return undefined;
  }
}

t.test('a new store whose release has the very seq current serves: rebuilt under two atomic switches', async (t) => {
  const server = await new HostileServer().start(t);
  server.storeId = 'store-a';
  server.publish('shop', { 'index.php': 'from store a', 'keep.txt': 'kept\n' });
  const agent = await startAgent(t, server.url, { args: ['--verify-interval', '0'] });
  await waitFor('seq 1 of store a', async () => (await state(agent.root, 'shop'))?.storeId === 'store-a');
  // Store b: same app, same seq 1, other content; the event stream reconnects as after a restart.
  server.apps.clear();
  server.storeId = 'store-b';
  server.publish('shop', { 'index.php': 'from store b', 'keep.txt': 'kept\n' });
  server.dropStreams();
  await waitFor('seq 1 of store b', async () => (await state(agent.root, 'shop'))?.storeId === 'store-b', 60_000);
  t.equal(await readFile(join(agent.root, 'apps/shop/current/index.php'), 'utf8'), 'from store b');
  t.equal((await state(agent.root, 'shop'))!.seq, 1);
  t.ok(agent.proc.logs.some((line) => line.msg?.startsWith('the server is a new store') === true), 'the agent says the store changed');
});
