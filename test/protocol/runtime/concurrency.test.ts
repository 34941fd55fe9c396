import t from 'tap';
import { backoffDelay, forEachLimit, sleep } from '../../../protocol/runtime/concurrency.js';

t.test('forEachLimit: every item once, never more than the limit in flight', async (t) => {
  const items = Array.from({ length: 25 }, (_, i) => i);
  const seen: number[] = [];
  let inFlight = 0;
  let peak = 0;
  await forEachLimit(items, 4, async (item) => {
    peak = Math.max(peak, ++inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    seen.push(item);
    inFlight--;
  });
  t.same([...seen].sort((a, b) => a - b), items);
  t.equal(peak, 4);
  let calls = 0;
  await forEachLimit([], 4, async () => void calls++);
  t.equal(calls, 0, 'no work for no items');
});

t.test('forEachLimit: the first error rejects and no new item starts after it', async (t) => {
  const started: number[] = [];
  await t.rejects(
    forEachLimit([1, 2, 3, 4, 5, 6], 2, async (item) => {
      started.push(item);
      await new Promise((resolve) => setImmediate(resolve));
      if (item === 2) throw new Error('item 2 failed');
    }),
    { message: 'item 2 failed' },
  );
  t.ok(started.length < 6, `stopped early (${started.join(',')})`);
});

t.test('forEachLimit: an aborted signal stops before the next item', async (t) => {
  const controller = new AbortController();
  const done: number[] = [];
  await t.rejects(
    forEachLimit([1, 2, 3, 4], 1, async (item) => {
      done.push(item);
      if (item === 2) controller.abort(new Error('stop'));
    }, controller.signal),
    { message: 'stop' },
  );
  t.same(done, [1, 2]);
});

t.test('backoffDelay: full jitter under min(cap, base * 2^attempt), huge attempts capped', async (t) => {
  for (let attempt = 0; attempt < 12; attempt++) {
    const bound = Math.min(3000, 100 * 2 ** attempt);
    const delays = Array.from({ length: 200 }, () => backoffDelay(attempt, 100, 3000));
    t.same(delays.filter((delay) => !(delay >= 0 && delay < bound)), [], `attempt ${attempt}: every delay in [0, ${bound})`);
  }
  t.ok(backoffDelay(5000, 100, 3000) < 3000, 'no overflow to Infinity or NaN');
});

t.test('sleep: resolves after the time, rejects with the reason on abort, at once if already aborted', async (t) => {
  const started = Date.now();
  await sleep(20, new AbortController().signal);
  t.ok(Date.now() - started >= 19);
  const controller = new AbortController();
  const sleeping = sleep(60_000, controller.signal);
  controller.abort(new Error('woken'));
  await t.rejects(sleeping, { message: 'woken' });
  const aborted = new AbortController();
  aborted.abort(new Error('too late'));
  await t.rejects(sleep(10, aborted.signal), { message: 'too late' });
});
