import t, {} from 'tap';
import { SlotQueue } from '../../server/pull-slots/slot-queue.js';
// SlotQueue is pure logic: a fake clock and explicit reclaimExpired() make ttl behaviour exact.
function makeQueue(t, options = {}) {
    const clock = { now: 1_000_000 };
    const granted = [];
    const queue = new SlotQueue({ maxConcurrent: 2, ttlMs: 30_000, parkMs: 10_000, now: () => clock.now, onGrant: (slot) => granted.push(slot.node), ...options });
    t.teardown(() => queue.close());
    return { queue, clock, granted };
}
const ask = (queue, node, cold = false, app = 'web') => queue.ask({ node, app, bytes: 100, cold });
t.test('grants at most maxConcurrent and serves the rest first come first served', async (t) => {
    const { queue, granted } = makeQueue(t);
    const tickets = ['n1', 'n2', 'n3', 'n4', 'n5'].map((node) => ask(queue, node));
    t.same(granted, ['n1', 'n2']);
    t.same(queue.stats(), { active: 2, waiting: 3 });
    t.same(tickets.map((ticket) => ticket.position()), [0, 0, 1, 2, 3]);
    queue.release(tickets[0].granted().id);
    t.same(granted, ['n1', 'n2', 'n3']);
    queue.release(tickets[1].granted().id);
    queue.release(tickets[2].granted().id);
    t.same(granted, ['n1', 'n2', 'n3', 'n4', 'n5']);
    t.same(queue.stats(), { active: 2, waiting: 0 });
});
t.test('a cold node overtakes updating nodes but not earlier cold nodes', async (t) => {
    const { queue, granted } = makeQueue(t, { maxConcurrent: 1 });
    const tickets = new Map();
    for (const node of ['busy', 'u1', 'u2', 'c1', 'c2'])
        tickets.set(node, ask(queue, node, node.startsWith('c')));
    t.equal(tickets.get('c1').position(), 1, 'the first cold node goes to the head of the line');
    t.equal(tickets.get('u1').position(), 3, 'updating nodes wait behind every cold node');
    while (queue.stats().active > 0)
        queue.release(tickets.get(granted.at(-1)).granted().id);
    t.same(granted, ['busy', 'c1', 'c2', 'u1', 'u2']);
});
t.test('wait resolves on grant; an aborted wait rejects and leave() gives the place up', async (t) => {
    const { queue, granted } = makeQueue(t, { maxConcurrent: 1 });
    const holder = ask(queue, 'holder');
    const quitter = ask(queue, 'quitter');
    const patient = ask(queue, 'patient');
    const controller = new AbortController();
    const quitting = quitter.wait(controller.signal);
    controller.abort(new Error('client gone'));
    await t.rejects(quitting, { message: 'client gone' });
    quitter.leave();
    t.equal(patient.position(), 1);
    const waiting = patient.wait(new AbortController().signal);
    queue.release(holder.granted().id);
    t.equal((await waiting).node, 'patient');
    t.same(granted, ['holder', 'patient']);
});
t.test('a parked waiter is granted in its turn and claims the slot on its next ask', async (t) => {
    const { queue, granted, clock } = makeQueue(t, { maxConcurrent: 1 });
    const holder = ask(queue, 'holder');
    const early = ask(queue, 'early');
    ask(queue, 'late');
    early.park();
    t.equal(early.position(), 1, 'parking keeps the place');
    queue.release(holder.granted().id);
    t.same(granted, ['holder', 'early'], 'first come, first served, even between two long-polls');
    clock.now += 1_000;
    const again = ask(queue, 'early');
    t.equal(again.granted()?.id, early.granted()?.id, 'the next ask claims the slot');
    clock.now += 20_000;
    t.same(queue.reclaimExpired(), [], 'claiming renewed it for a full ttl');
});
t.test('a slot granted to a parked waiter that never asks again expires at the park deadline', async (t) => {
    const { queue, granted, clock } = makeQueue(t, { maxConcurrent: 1 });
    const holder = ask(queue, 'holder');
    ask(queue, 'gone').park();
    ask(queue, 'next');
    queue.release(holder.granted().id);
    clock.now += 10_000;
    t.same(queue.reclaimExpired().map((slot) => slot.node), ['gone']);
    t.same(granted, ['holder', 'gone', 'next']);
});
t.test('a parked waiter that never comes back leaves after parkMs', async (t) => {
    const { queue, clock } = makeQueue(t, { maxConcurrent: 1 });
    ask(queue, 'holder');
    ask(queue, 'gone').park();
    const next = ask(queue, 'next');
    t.equal(next.position(), 2);
    clock.now += 10_001;
    queue.reclaimExpired();
    t.equal(next.position(), 1);
});
t.test('ttl: an unrenewed slot is reclaimed and the next waiter granted', async (t) => {
    const { queue, clock, granted } = makeQueue(t, { maxConcurrent: 1 });
    const crashed = ask(queue, 'crashed');
    ask(queue, 'next');
    clock.now += 29_999;
    t.same(queue.reclaimExpired(), []);
    clock.now += 1;
    t.same(queue.reclaimExpired().map((slot) => slot.node), ['crashed']);
    t.same(granted, ['crashed', 'next']);
    t.equal(queue.renew(crashed.granted().id), undefined, 'the reclaimed slot is gone');
});
t.test('renew and open transfers keep a slot alive', async (t) => {
    const { queue, clock } = makeQueue(t, { maxConcurrent: 1 });
    const slot = ask(queue, 'n1').granted();
    for (let i = 0; i < 5; i++) {
        clock.now += 20_000;
        t.ok(queue.renew(slot.id), `renewal ${i}`);
        queue.reclaimExpired();
    }
    t.ok(queue.openTransfer(slot.id));
    clock.now += 120_000;
    t.same(queue.reclaimExpired(), [], 'no expiry while a transfer is open');
    queue.closeTransfer(slot);
    clock.now += 29_000;
    t.same(queue.reclaimExpired(), [], 'the ttl counts from the end of the transfer');
    clock.now += 1_000;
    t.equal(queue.reclaimExpired().length, 1);
});
t.test('the same node asking again for the same app gets its slot back, renewed', async (t) => {
    const { queue, clock } = makeQueue(t, { maxConcurrent: 1 });
    const first = ask(queue, 'n1').granted();
    clock.now += 25_000;
    const again = ask(queue, 'n1').granted();
    t.equal(again.id, first.id);
    clock.now += 25_000;
    t.same(queue.reclaimExpired(), [], 'asking again renewed it');
    t.not(ask(queue, 'n1', false, 'api').granted()?.id, first.id, 'another app is another slot');
    t.same(queue.stats(), { active: 1, waiting: 1 });
});
t.test('two asks of one node share one place in line', async (t) => {
    const { queue } = makeQueue(t, { maxConcurrent: 1 });
    const holder = ask(queue, 'holder');
    const a = ask(queue, 'n1');
    const b = ask(queue, 'n1');
    t.same(queue.stats(), { active: 1, waiting: 1 });
    const controller = new AbortController();
    const waitingA = a.wait(controller.signal);
    const waitingB = b.wait(new AbortController().signal);
    controller.abort(new Error('retry replaced me'));
    await t.rejects(waitingA);
    a.leave();
    t.equal(queue.stats().waiting, 1, 'the other ask still listens, so the place stays');
    queue.release(holder.granted().id);
    t.equal((await waitingB).node, 'n1');
});
t.test('release of an unknown slot is refused; maxConcurrent must be at least 1', async (t) => {
    const { queue } = makeQueue(t);
    t.equal(queue.release('nope'), false);
    t.throws(() => new SlotQueue({ maxConcurrent: 0 }), RangeError);
});
t.test('a small pull (an update of at most smallPullBytes) goes first and takes a lane of its own when every slot is held', async (t) => {
    const { queue, granted } = makeQueue(t, { maxConcurrent: 2, smallPullBytes: 1000, smallPullSlots: 1 });
    const big = (node, cold) => queue.ask({ node, app: 'web', bytes: 10_000_000, cold });
    const holders = [big('cold-1', true), big('cold-2', true)];
    const waiting = [big('cold-3', true), big('update-big', false)];
    const hotfix = queue.ask({ node: 'warm-1', app: 'web', bytes: 1000, cold: false });
    t.ok(hotfix.granted(), 'the hotfix is granted at once, every regular slot being held by cold nodes');
    t.equal(hotfix.granted().small, true, '... in the small-pull lane');
    const second = queue.ask({ node: 'warm-2', app: 'web', bytes: 10, cold: false });
    t.equal(second.position(), 1, 'the small lane is bounded (smallPullSlots): the next small pull waits, at the head of the line');
    t.equal(waiting[0].position(), 2, 'cold nodes come after small pulls');
    t.same(queue.stats(), { active: 3, waiting: 3 });
    queue.release(hotfix.granted().id);
    t.ok(second.granted(), 'a freed small slot goes to the next small pull');
    queue.release(holders[0].granted().id);
    t.same(granted, ['cold-1', 'cold-2', 'warm-1', 'warm-2', 'cold-3'], 'regular slots still go cold first, then other updates');
    t.notOk(waiting[1].granted(), 'a big update still waits its turn');
});
t.test('cold nodes and unknown sizes never take the small-pull lane; 0 turns it off', async (t) => {
    const { queue } = makeQueue(t, { maxConcurrent: 1, smallPullBytes: 1000 });
    queue.ask({ node: 'holder', app: 'web', bytes: 10_000_000, cold: true });
    t.notOk(queue.ask({ node: 'tiny-cold', app: 'web', bytes: 10, cold: true }).granted(), 'a cold node, however small its tree, waits for a regular slot');
    t.notOk(queue.ask({ node: 'unknown', app: 'web', bytes: 0, cold: false }).granted(), 'a node that declares no bytes waits');
    const off = makeQueue(t, { maxConcurrent: 1, smallPullBytes: 0 }).queue;
    off.ask({ node: 'holder', app: 'web', bytes: 10_000_000, cold: false });
    t.notOk(off.ask({ node: 'hotfix', app: 'web', bytes: 10, cold: false }).granted(), 'smallPullBytes 0: no lane');
});
//# sourceMappingURL=slot-queue.test.js.map