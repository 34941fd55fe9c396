import t from 'tap';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { HEADERS } from '../../protocol/api.js';
import { getJson, publishManifest, startServer, tempDir } from './harness.js';
const tree = [{ path: 'index.php', type: 'file', mode: 0o644, data: Buffer.from('<?php echo 1;\n') }];
t.test('the store keeps its id across restarts and gets a new one when wiped; every response carries it', async (t) => {
    const dataDir = tempDir(t);
    const first = await startServer(t, dataDir);
    const stored = JSON.parse(readFileSync(join(dataDir, 'store.json'), 'utf8'));
    t.match(stored, { id: /^[0-9a-f-]{36}$/, createdAt: /^\d{4}-\d\d-\d\dT/ }, 'data/store.json holds {id, createdAt}');
    const id = stored.id;
    t.equal((await publishManifest(first.url, 'web', tree)).status, 201);
    const responses = [
        ['healthz', fetch(`${first.url}/healthz`)],
        ['apps', fetch(`${first.url}/v1/apps`)],
        ['app', fetch(`${first.url}/v1/apps/web`)],
        ['manifest', fetch(`${first.url}/v1/apps/web/releases/1/manifest`)],
        ['unknown app (404)', fetch(`${first.url}/v1/apps/nope`)],
        ['unknown route (404)', fetch(`${first.url}/v1/nowhere`)],
        ['invalid JSON (400)', fetch(`${first.url}/v1/apps/web/releases`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })],
    ];
    for (const [what, pending] of responses) {
        const response = await pending;
        await response.arrayBuffer();
        t.equal(response.headers.get(HEADERS.storeId), id, `${what}: ${HEADERS.storeId}`);
    }
    const events = new AbortController();
    const stream = await fetch(`${first.url}/v1/events`, { signal: events.signal });
    t.equal(stream.headers.get(HEADERS.storeId), id, 'the event stream carries it too');
    events.abort();
    const app = await getJson(`${first.url}/v1/apps/web`);
    t.same(Object.keys(app.body).sort(), ['createdAt', 'keepReleases', 'latest', 'name', 'nodeSelector'], 'app bodies keep their shape');
    await first.proc.stop();
    const restarted = await startServer(t, dataDir);
    t.equal((await fetch(`${restarted.url}/healthz`)).headers.get(HEADERS.storeId), id, 'a restart keeps the id');
    t.equal(restarted.proc.logs.find((line) => line.msg === 'listening')?.storeId, id, 'and logs it');
    await restarted.proc.stop();
    rmSync(dataDir, { recursive: true, force: true });
    const wiped = await startServer(t, dataDir);
    const fresh = (await fetch(`${wiped.url}/healthz`)).headers.get(HEADERS.storeId);
    t.ok(fresh && fresh !== id, `a wiped store is a new store (${fresh})`);
    t.equal((await publishManifest(wiped.url, 'web', tree)).body.seq, 1, 'whose seqs start at 1 again');
});
//# sourceMappingURL=store-identity.test.js.map