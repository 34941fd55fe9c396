import t from 'tap';
import { getHeapStatistics } from 'node:v8';
import { setTimeout as sleep } from 'node:timers/promises';
import { HeapRelease } from '../../../protocol/runtime/heap-release.js';
import { forcedCollections } from '../../helpers/forced-collections.js';
t.test('a full collection runs once the heap in use outgrew what the last one left, and frees the garbage', async (t) => {
    const heap = new HeapRelease();
    t.equal(heap.maybeRelease(), false, 'nothing grown yet');
    const before = getHeapStatistics().used_heap_size;
    // Objects kept alive until the check: the heap in use must grow to hold them.
    let held = Array.from({ length: 300_000 }, (_, id) => ({ id, name: `entry ${id}` }));
    t.ok(getHeapStatistics().used_heap_size - before > 4 * 1024 * 1024, 'the heap in use grew past the slack');
    t.ok(held.length > 0);
    held = undefined;
    t.equal(heap.maybeRelease(), true, 'grown: collected');
    t.ok(getHeapStatistics().used_heap_size - before < 4 * 1024 * 1024, 'the garbage is gone');
    t.equal(heap.maybeRelease(), false, 'just collected: not again');
});
t.test('releaseAfter collects once, in the lull after the last call; cancel drops it', async (t) => {
    const forced = forcedCollections(t);
    const heap = new HeapRelease();
    // Kept alive, so the heap in use stays grown whatever V8 collects on its own: only the timing
    // decides whether releaseAfter collects, and the collections it forces are counted.
    const held = Array.from({ length: 300_000 }, (_, id) => ({ id, name: `entry ${id}` }));
    heap.releaseAfter(50);
    heap.cancel();
    await sleep(100);
    t.equal(await forced.count(), 0, 'cancelled: no collection');
    heap.releaseAfter(200);
    await sleep(100);
    heap.releaseAfter(200);
    // Timers fire in order of when they are due, however late a loaded machine runs them.
    await sleep(150);
    t.equal(await forced.count(), 0, 'asked again before the lull ended: not yet');
    await sleep(150);
    t.equal(await forced.count(), 1, 'collected once the lull passed');
    t.equal(heap.maybeRelease(), false, 'already collected');
    t.ok(held.length > 0);
});
t.test('settle collects what a burst left and trims, then has nothing more to collect for growth', async (t) => {
    const heap = new HeapRelease();
    const before = getHeapStatistics().used_heap_size;
    let held = Array.from({ length: 300_000 }, (_, id) => ({ id, name: `entry ${id}` }));
    t.ok(held.length > 0);
    held = undefined;
    t.equal(heap.settle(), true, 'grown: collected');
    t.ok(getHeapStatistics().used_heap_size - before < 4 * 1024 * 1024, 'the garbage is gone');
    t.equal(heap.maybeRelease(), false, 'the growth was collected: maybeRelease has nothing to do');
});
//# sourceMappingURL=heap-release.test.js.map