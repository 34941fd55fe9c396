import t from 'tap';
import { ServerPullSlots } from '../../agent/link/server-pull-slots.js';
import { ApiClient } from '../../protocol/client/api-client.js';
import { serverMetric, startServer, waitFor } from './cluster.js';
// The agent's ServerPullSlots against a real `codesync server` over loopback.
const client = (server, node, options = {}) => new ServerPullSlots({ client: new ApiClient({ server: server.url }), node, waitSeconds: 1, backoffBaseMs: 50, ...options });
const forever = () => new AbortController().signal;
// Above the server's small-pull lane (1 MiB), so these pulls queue behind the one slot.
const PULL_BYTES = 2 * 1024 * 1024;
// One server with one slot for the tests of waiting in line: each leaves the slot free and the line empty.
let oneSlot;
const oneSlotServer = () => (oneSlot ??= startServer(t, ['--max-concurrent-pulls', '1']));
t.test('a second node waits through repeated long-polls and gets the slot once the first releases it', async (t) => {
    const server = await oneSlotServer();
    const waits = [];
    const first = await client(server, 'n1').acquire({ app: 'web', bytes: PULL_BYTES, cold: false, signal: forever() });
    t.type(first.slot, 'string');
    let secondSlot;
    const second = client(server, 'n2', { observeWait: (s) => waits.push(s) })
        .acquire({ app: 'web', bytes: PULL_BYTES, cold: false, signal: forever() })
        .then((lease) => ((secondSlot = lease.slot), lease));
    // Two long-polls of 1 s end in 429 while n1 holds the slot; n2 asks again each time.
    await waitFor('two 429 answers', async () => server.proc.logs.filter((l) => l.msg === 'pull slot long-poll ended').length >= 2);
    t.equal(secondSlot, undefined, 'still waiting while the first holds the slot');
    await first.release();
    await first.release();
    const lease = await second;
    t.type(lease.slot, 'string');
    t.not(lease.slot, first.slot);
    t.equal(waits.length, 1);
    t.ok(waits[0] > 1, 'the wait histogram saw the time in line');
    await lease.release();
    t.equal(await serverMetric(server.url, 'codesync_server_pull_slots_active'), 0);
});
t.test('aborting a waiting acquire leaves the line at the server', async (t) => {
    const server = await oneSlotServer();
    const holder = await client(server, 'holder').acquire({ app: 'web', bytes: PULL_BYTES, cold: false, signal: forever() });
    const controller = new AbortController();
    const waiting = client(server, 'quitter', { waitSeconds: 30 }).acquire({ app: 'web', bytes: PULL_BYTES, cold: false, signal: controller.signal });
    await waitFor('the quitter is queued', async () => (await serverMetric(server.url, 'codesync_server_pull_slots_waiting')) === 1);
    controller.abort(new Error('shutting down'));
    await t.rejects(waiting, { message: 'shutting down' });
    await waitFor('the quitter left the line', async () => (await serverMetric(server.url, 'codesync_server_pull_slots_waiting')) === 0);
    await holder.release();
    t.equal(await serverMetric(server.url, 'codesync_server_pull_slots_active'), 0, 'nobody was granted the freed slot');
});
t.test('a server without metering answers 404: the lease has no slot', async (t) => {
    const server = await startServer(t, ['--max-concurrent-pulls', '0']);
    const lease = await client(server, 'n1').acquire({ app: 'web', bytes: 1, cold: false, signal: forever() });
    t.equal(lease.slot, undefined);
    await lease.release();
});
t.test('an unreachable server is retried with backoff until the signal aborts', async (t) => {
    const warnings = [];
    const logging = new ServerPullSlots({ client: new ApiClient({ server: 'http://127.0.0.1:9' }), node: 'n1', backoffBaseMs: 20, backoffMaxMs: 100, logger: { debug: () => { }, warn: (fields) => warnings.push(fields) } });
    const controller = new AbortController();
    const acquiring = logging.acquire({ app: 'web', bytes: 1, cold: false, signal: controller.signal });
    await waitFor('a few retries', async () => warnings.length >= 3);
    controller.abort(new Error('stop'));
    await t.rejects(acquiring, { message: 'stop' });
});
//# sourceMappingURL=server-pull-slots.test.js.map