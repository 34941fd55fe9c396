import t from 'tap';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { CodesyncProcess } from '../helpers/codesync-process.js';
import { join } from 'node:path';
import { manifestSnapshot, metric, publish, snapshot, startAgent, startServer, tempDir, waitFor } from './fixtures.js';
import { HostileServer } from './hostile-server.js';
async function state(root, app) {
    try {
        return JSON.parse(await readFile(join(root, 'apps', app, 'state.json'), 'utf8'));
    }
    catch {
        return undefined;
    }
}
t.test('a server whose data was wiped is a new store: current keeps serving, its seqs are followed, never taken for older ones', async (t) => {
    const server = await startServer(t);
    const port = new URL(server.url).port;
    const src = tempDir(t);
    await writeFile(join(src, 'index.php'), 'v1');
    await writeFile(join(src, 'shared.txt'), 'the same in both stores\n');
    await publish(server.url, 'shop', src);
    await writeFile(join(src, 'index.php'), 'v2');
    const seq2 = await publish(server.url, 'shop', src);
    const agent = await startAgent(t, server.url, { args: ['--verify-interval', '0'] });
    await waitFor('seq 2 with its store id', async () => (await state(agent.root, 'shop'))?.seq === seq2);
    const oldStore = (await state(agent.root, 'shop')).storeId;
    t.ok(oldStore, 'state.json records the store id');
    const served = await snapshot(join(agent.root, 'apps/shop/current'));
    // The store is lost: same address, empty data directory.
    await server.proc.stop('SIGKILL');
    for (const name of await readdir(server.data))
        await rm(join(server.data, name), { recursive: true, force: true });
    const fresh = new CodesyncProcess(['server', '--data', server.data, '--listen', `127.0.0.1:${port}`], { env: { CODESYNC_LOG_LEVEL: 'info' } });
    t.teardown(() => fresh.stop('SIGKILL'));
    await fresh.ready();
    // The agent reconnects, lists the (empty) new store and says so; current keeps serving.
    await agent.proc.waitForLog((line) => line.msg?.startsWith('the server is a new store') === true);
    t.same(await snapshot(join(agent.root, 'apps/shop/current')), served, 'current keeps serving the old release');
    t.equal((await state(agent.root, 'shop'))?.seq, seq2);
    await writeFile(join(src, 'index.php'), 'w1 from the new store');
    const fetchedBefore = await metric(agent.url, 'codesync_agent_fetched_files_total', { app: 'shop' });
    const newSeq = await publish(server.url, 'shop', src);
    t.ok(newSeq < seq2, `the new store starts over (seq ${newSeq} after ${seq2})`);
    await waitFor('the new store release', async () => (await state(agent.root, 'shop'))?.seq === newSeq);
    const now = (await state(agent.root, 'shop'));
    t.not(now.storeId, oldStore, 'state.json records the new store');
    t.same(await snapshot(join(agent.root, 'apps/shop/current')), await manifestSnapshot(server.url, 'shop', newSeq), 'current equals the new store release byte for byte');
    t.equal((await metric(agent.url, 'codesync_agent_fetched_files_total', { app: 'shop' })) - fetchedBefore, 1, 'only the changed file was fetched: the shared one came from the cache by hash');
    await writeFile(join(src, 'index.php'), 'w2 from the new store');
    const next = await publish(server.url, 'shop', src);
    await waitFor('the next release of the new store', async () => (await state(agent.root, 'shop'))?.seq === next);
    t.same(await snapshot(join(agent.root, 'apps/shop/current')), await manifestSnapshot(server.url, 'shop', next), 'the new store is followed from then on');
});
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
    await waitFor('seq 1 of store b', async () => (await state(agent.root, 'shop'))?.storeId === 'store-b');
    t.equal(await readFile(join(agent.root, 'apps/shop/current/index.php'), 'utf8'), 'from store b');
    t.equal((await state(agent.root, 'shop')).seq, 1);
    t.ok(agent.proc.logs.some((line) => line.msg?.startsWith('the server is a new store') === true), 'the agent says the store changed');
});
//# sourceMappingURL=store-replaced.test.js.map