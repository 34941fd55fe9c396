import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { IdleSettle } from '../../agent/idle-settle.js';
import { HeapRelease } from '../../protocol/runtime/heap-release.js';
import { forcedCollections } from '../helpers/forced-collections.js';
t.test('the first settle collects; one with little grown puts the collection off until quiet', async (t) => {
    const forced = forcedCollections(t, 100);
    const collectedMs = [];
    // Wide margins: a loaded machine runs timers late, but in the order they are due.
    const idle = new IdleSettle({ heap: new HeapRelease(), idleMs: 1500, onCollected: (ms) => collectedMs.push(ms) });
    t.teardown(() => idle.cancel());
    t.equal(idle.settle(), true, 'first settle: collected');
    t.equal(await forced.count(), 1);
    t.equal(idle.settle(), false, 'nothing grown: not now');
    await sleep(700);
    t.equal(idle.settle(), false, 'again before the quiet is over: not now, the wait starts over');
    await sleep(800);
    t.equal(await forced.count(), 1, 'the quiet started over: not yet');
    await sleep(1000);
    t.equal(await forced.count(), 2, 'collected once quiet');
    t.equal(collectedMs.length, 2, 'each collection told');
});
t.test('memory in use grown past the slack is collected at once', async (t) => {
    const forced = forcedCollections(t, 100);
    const idle = new IdleSettle({ heap: new HeapRelease(), idleMs: 60_000 });
    t.teardown(() => idle.cancel());
    idle.settle();
    const before = await forced.count();
    // Kept alive across the settle: growth in use, whatever V8 collects on its own.
    const held = Array.from({ length: 300_000 }, (_, id) => ({ id, name: `entry ${id}` }));
    t.equal(idle.settle(), true, 'grown past the slack: collected now');
    t.equal(await forced.count(), before + 1);
    t.ok(held.length > 0);
});
t.test('a collection put off waits while the agent is busy, and cancel drops it', async (t) => {
    const forced = forcedCollections(t, 100);
    let busy = true;
    const idle = new IdleSettle({ heap: new HeapRelease(), idleMs: 50, busy: () => busy });
    t.teardown(() => idle.cancel());
    idle.settle();
    const before = await forced.count();
    idle.settle();
    await sleep(150);
    t.equal(await forced.count(), before, 'busy when quiet came: not collected');
    busy = false;
    idle.settle();
    idle.cancel();
    await sleep(150);
    t.equal(await forced.count(), before, 'cancelled: not collected');
});
//# sourceMappingURL=idle-settle.unit.js.map