import t from 'tap';
import { PlacedBlobs } from '../../../server/store/placed-blobs.js';

const name = (i: number): string => i.toString(16).padStart(64, '0');

t.test('vouches for a set only when every name of it was placed and not forgotten', async (t) => {
  const placed = new PlacedBlobs();
  t.ok(placed.holdsAll([]), 'nothing asked, nothing missing');
  t.notOk(placed.holdsAll([name(1)]), 'nothing placed yet');
  for (let i = 0; i < 100; i++) placed.add(name(i));
  t.ok(placed.holdsAll([name(0), name(50), name(99)]));
  t.notOk(placed.holdsAll([name(0), name(100)]), 'one of them never placed');
  placed.forget(name(50));
  t.notOk(placed.holdsAll([name(50)]), 'a forgotten one (GC deleted it) is not vouched for');
  placed.add(name(50));
  t.ok(placed.holdsAll([name(50)]), 'placed again');
});

t.test('holds the names of the last two generations at most', async (t) => {
  const placed = new PlacedBlobs();
  const total = 3 * 16_384;
  for (let i = 0; i < total; i++) placed.add(name(i));
  t.ok(placed.holdsAll([name(total - 1), name(total - 2 * 16_384)]), 'the last two generations are held');
  t.notOk(placed.holdsAll([name(0)]), 'the oldest generation was let go');
});
