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
