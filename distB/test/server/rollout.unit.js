import t from 'tap';
import { rolloutOf, rolloutSettled } from '../../server/nodes/rollout.js';
const node = (name, labels, app) => ({
    node: name,
    receivedAt: '2026-12-01T10:00:00.000Z',
    report: { apps: app ? { shop: app } : {}, ...(labels ? { labels } : {}) },
});
const at = (seq, extra = {}) => ({ seq, digest: `d${seq}`, activatedAt: null, ...extra });
t.test('a rollout counts the nodes the selector picks, by their reported labels', async (t) => {
    const nodes = [
        node('a', { env: 'pre' }, at(5)),
        node('b', { env: 'pre' }, at(4, { error: 'DISK_FULL: no space left' })),
        node('c', { env: 'prod' }, at(3)),
        node('d', { env: 'pre' }),
        node('e', undefined, at(6)),
    ];
    const rollout = rolloutOf('shop', 'env=pre', 5, nodes, false);
    t.match(rollout, { seq: 5, selected: 4, done: 2, complete: false, failed: false });
    t.same(rollout.nodes.map((n) => [n.node, n.state, n.error]), [
        ['a', 'done', null],
        ['b', 'pending', 'DISK_FULL: no space left'],
        ['d', 'pending', null],
        ['e', 'done', null],
    ], 'c is not selected; e reports no labels but holds the app; a later seq counts as done');
    t.notOk(rolloutSettled(rollout));
    t.ok(rolloutSettled(rolloutOf('shop', 'env=nowhere', 5, nodes, false)), 'no node selected: nothing to wait for');
    t.ok(rolloutOf('shop', 'env=prod', 3, nodes, false).complete);
});
t.test('with acks a node is done once its pods acked the seq it runs, and failed when one did not', async (t) => {
    const ack = (pod, seq, ok, message) => ({ pod, seq, ok, ...(message ? { message } : {}) });
    const nodes = [
        node('a', { env: 'pre' }, at(5, { acks: [ack('web-1', 5, true), ack('web-2', 4, false)] })),
        node('b', { env: 'pre' }, at(5)),
        node('c', { env: 'pre' }, at(5, { acks: [ack('web-3', 5, false, 'php-fpm: config broken')] })),
    ];
    const rollout = rolloutOf('shop', 'env=pre', 5, nodes, true);
    t.same(rollout.nodes.map((n) => [n.node, n.state, n.error]), [
        ['a', 'done', null],
        ['b', 'pending', 'runs seq 5; no pod has acknowledged it yet'],
        ['c', 'failed', 'pod web-3 failed to reload: php-fpm: config broken'],
    ], 'an ack of an older seq does not count');
    t.match(rollout, { done: 1, failed: true, complete: false });
    t.ok(rolloutSettled(rollout), 'a failed ack is final');
});
//# sourceMappingURL=rollout.unit.js.map