import t from 'tap';
import { ServerPullSlots } from '../../agent/link/server-pull-slots.js';
import { UnwaitedReleaseSlots } from '../../agent/sync/unwaited-release-slots.js';
import { ApiClient } from '../../protocol/client/api-client.js';
import { serverMetric, startServer } from './cluster.js';
// The sync engine's wrapper of the agent's pull slots, against a real `codesync server`.
t.test('a give-back goes out without being waited for; the next ask and released() wait for it', async (t) => {
    const server = await startServer(t, ['--max-concurrent-pulls', '1']);
    const slots = new UnwaitedReleaseSlots(new ServerPullSlots({ client: new ApiClient({ server: server.url }), node: 'n1', waitSeconds: 1 }));
    const signal = new AbortController().signal;
    const first = await slots.acquire({ app: 'web', bytes: 4096, cold: false, signal });
    t.type(first.slot, 'string');
    t.equal(await serverMetric(server.url, 'codesync_server_pull_slots_active'), 1);
    await first.release();
    await slots.released();
    t.equal(await serverMetric(server.url, 'codesync_server_pull_slots_active'), 0, 'released() settled once the server had the slot back');
    // Asked again at once after a release: the give-back reaches the server first, so this ask
    // gets a slot of its own that no late DELETE takes away.
    await (await slots.acquire({ app: 'web', bytes: 4096, cold: false, signal })).release();
    const third = await slots.acquire({ app: 'web', bytes: 4096, cold: false, signal });
    t.equal(await serverMetric(server.url, 'codesync_server_pull_slots_active'), 1, 'the slot asked for after a give-back is held');
    await third.release();
    await slots.released();
    t.equal(await serverMetric(server.url, 'codesync_server_pull_slots_active'), 0);
});
//# sourceMappingURL=unwaited-release-slots.test.js.map