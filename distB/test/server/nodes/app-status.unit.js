import t from 'tap';
import { appStatus, lagSeconds } from '../../../server/nodes/app-status.js';
// `now` is passed in: the lag is checked against a clock the test owns.
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (seconds) => new Date(T0 + seconds * 1000).toISOString();
const release = (seq, createdAtSeconds) => ({ app: 'web', seq, digest: `sha256:${seq}`, createdAt: at(createdAtSeconds), meta: {}, files: 1, bytes: 1 });
const node = (name, apps) => ({ node: name, report: { apps }, receivedAt: at(0) });
const held = (seq, extra = {}) => ({ seq, digest: `sha256:${seq}`, activatedAt: at(0), ...extra });
t.test('lagSeconds: 0 on the latest, else the time since the first release the node lacks', async (t) => {
    const releases = [release(3, 40), release(2, 10), release(1, 0)]; // newest first, as the store lists them
    t.equal(lagSeconds(3, releases, T0 + 100_000), 0, 'on the latest release');
    t.equal(lagSeconds(9, releases, T0 + 100_000), 0, 'ahead of the list (a replaced store): no lag');
    t.equal(lagSeconds(2, releases, T0 + 50_000), 10, 'one behind: since seq 3 was published');
    t.equal(lagSeconds(1, releases, T0 + 50_000), 40, 'two behind: since seq 2, the oldest missing, not the newest');
    t.equal(lagSeconds(0, releases, T0 + 50_500), 50.5, 'nothing held: since seq 1, in fractions of a second');
    t.equal(lagSeconds(1, releases, T0 + 5_000), 0, 'a clock behind the publish time never gives a negative lag');
    t.equal(lagSeconds(0, [], T0), 0, 'an app without releases');
});
t.test('lagSeconds: a pruned first missing release is stood in for by the oldest retained newer one', async (t) => {
    // Node on seq 1; seqs 2-4 pruned, 5 and 6 retained.
    t.equal(lagSeconds(1, [release(6, 200), release(5, 100)], T0 + 300_000), 200, 'a lower bound: since seq 5');
});
t.test('appStatus: the latest release, and one row per node reporting the app, sorted by node', async (t) => {
    const releases = [release(2, 10), release(1, 0)];
    const nodes = [
        node('node-c', { web: held(1, { error: 'disk full' }) }),
        node('node-a', { web: held(2) }),
        node('node-b', { api: held(1) }),
        node('node-d', { web: held(2, { selected: false }) }),
    ];
    const status = appStatus('web', releases, nodes, T0 + 70_000);
    t.same(status.latest, { app: 'web', seq: 2, digest: 'sha256:2', createdAt: at(10) });
    t.same(status.nodes.map((row) => row.node), ['node-a', 'node-c'], 'only nodes that report and still select the app');
    t.match(status.nodes[0], { node: 'node-a', seq: 2, lagSeconds: 0, error: null, activatedAt: at(0), lastReportAt: at(0) });
    t.match(status.nodes[1], { node: 'node-c', seq: 1, lagSeconds: 60, error: 'disk full' });
    t.notOk('acks' in status.nodes[0], 'no acks field when the node sent none');
    t.same(appStatus('web', [], [], T0), { app: 'web', latest: null, nodes: [] }, 'an app never published');
});
t.test('appStatus: acks of the held seq only, failures listed with their message when there is one', async (t) => {
    const acks = [
        { pod: 'p1', seq: 2, ok: true },
        { pod: 'p2', seq: 2, ok: false, message: 'reload failed' },
        { pod: 'p3', seq: 2, ok: false },
        { pod: 'p4', seq: 1, ok: false, message: 'an older seq' },
    ];
    const status = appStatus('web', [release(2, 10), release(1, 0)], [node('node-a', { web: held(2, { acks }) })], T0);
    t.same(status.nodes[0].acks, { ok: 1, failed: 2, failures: [{ pod: 'p2', message: 'reload failed' }, { pod: 'p3' }] });
});
//# sourceMappingURL=app-status.unit.js.map