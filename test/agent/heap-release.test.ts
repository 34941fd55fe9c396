import t from 'tap';
import { getHeapStatistics } from 'node:v8';
import { HeapRelease } from '../../agent/observability/heap-release.js';

t.test('a full collection runs once the heap outgrew the last one, not before', async (t) => {
  const heap = new HeapRelease();
  t.equal(heap.maybeRelease(), false, 'nothing grown yet');
  const before = getHeapStatistics().total_heap_size;
  // Objects kept alive until the check: the heap must grow to hold them.
  let held: { id: number; name: string }[] | undefined = Array.from({ length: 300_000 }, (_, id) => ({ id, name: `entry ${id}` }));
  t.ok(getHeapStatistics().total_heap_size - before > 4 * 1024 * 1024, 'the heap grew past the slack');
  t.ok(held.length > 0);
  held = undefined;
  t.equal(heap.maybeRelease(), true, 'grown: collected');
  t.equal(heap.maybeRelease(), false, 'just collected: not again');
});
