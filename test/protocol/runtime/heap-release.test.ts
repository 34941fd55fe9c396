import t from 'tap';
import { getHeapStatistics } from 'node:v8';
import { HeapRelease } from '../../../protocol/runtime/heap-release.js';

t.test('a full collection runs once the heap in use outgrew what the last one left, and frees the garbage', async (t) => {
  const heap = new HeapRelease();
  t.equal(heap.maybeRelease(), false, 'nothing grown yet');
  const before = getHeapStatistics().used_heap_size;
  // Objects kept alive until the check: the heap in use must grow to hold them.
  let held: { id: number; name: string }[] | undefined = Array.from({ length: 300_000 }, (_, id) => ({ id, name: `entry ${id}` }));
  t.ok(getHeapStatistics().used_heap_size - before > 4 * 1024 * 1024, 'the heap in use grew past the slack');
  t.ok(held.length > 0);
  held = undefined;
  t.equal(heap.maybeRelease(), true, 'grown: collected');
  t.ok(getHeapStatistics().used_heap_size - before < 4 * 1024 * 1024, 'the garbage is gone');
  t.equal(heap.maybeRelease(), false, 'just collected: not again');
});

t.test('releaseAfter collects once, in the lull after the last call; cancel drops it', async (t) => {
  const heap = new HeapRelease();
  const before = getHeapStatistics().used_heap_size;
  let held: { id: number; name: string }[] | undefined = Array.from({ length: 300_000 }, (_, id) => ({ id, name: `entry ${id}` }));
  t.ok(held.length > 0);
  held = undefined;
  heap.releaseAfter(50);
  heap.cancel();
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.ok(getHeapStatistics().used_heap_size - before > 4 * 1024 * 1024, 'cancelled: the garbage is still there');
  heap.releaseAfter(200);
  await new Promise((resolve) => setTimeout(resolve, 100));
  heap.releaseAfter(200);
  await new Promise((resolve) => setTimeout(resolve, 150));
  t.ok(getHeapStatistics().used_heap_size - before > 4 * 1024 * 1024, 'asked again before the lull ended: not yet');
  await new Promise((resolve) => setTimeout(resolve, 150));
  t.ok(getHeapStatistics().used_heap_size - before < 4 * 1024 * 1024, 'collected once the lull passed');
  t.equal(heap.maybeRelease(), false, 'already collected');
});

t.test('settle collects what a burst left and trims, then has nothing more to collect for growth', async (t) => {
  const heap = new HeapRelease();
  const before = getHeapStatistics().used_heap_size;
  let held: { id: number; name: string }[] | undefined = Array.from({ length: 300_000 }, (_, id) => ({ id, name: `entry ${id}` }));
  t.ok(held.length > 0);
  held = undefined;
  t.equal(heap.settle(), true, 'grown: collected');
  t.ok(getHeapStatistics().used_heap_size - before < 4 * 1024 * 1024, 'the garbage is gone');
  t.equal(heap.maybeRelease(), false, 'the growth was collected: maybeRelease has nothing to do');
});
