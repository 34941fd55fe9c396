import t from 'tap';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import { Bandwidth } from '../../../server/pull-slots/bandwidth.js';
// Bandwidth reads `performance.now()`; the test owns that clock, so token counts are exact and no
// assertion depends on how fast this machine is. Its retry timers still run for real (a few ms).
const realNow = performance.now.bind(performance);
let clockMs = 0;
performance.now = () => clockMs;
t.teardown(() => {
    performance.now = realNow;
});
const KIB = 1024;
const turn = () => new Promise((resolve) => setImmediate(resolve));
/** Tracks whether a promise has settled, without waiting for it. */
function watch(promise) {
    const state = { done: false, promise };
    void promise.then(() => (state.done = true));
    return state;
}
t.test('the rate must be positive', async (t) => {
    for (const bytesPerSecond of [0, -1, Number.NaN])
        t.throws(() => new Bandwidth({ bytesPerSecond }), RangeError, String(bytesPerSecond));
});
t.test('a burst of burstSeconds of the rate goes at once; then the rate holds', async (t) => {
    clockMs = 1_000;
    // 1 MB/s with the default 0.1 s burst: 100 000 bytes may go before any time passes.
    const bucket = new Bandwidth({ bytesPerSecond: 1_000_000 });
    const first = watch(bucket.take(60_000));
    const second = watch(bucket.take(40_000));
    const third = watch(bucket.take(50_000));
    await turn();
    t.ok(first.done && second.done, 'the whole burst is granted without time passing');
    t.notOk(third.done, 'past the burst, a transfer waits');
    clockMs += 50; // 50 ms at 1 MB/s: exactly the 50 000 bytes the third take asked for
    await third.promise;
    t.pass('granted once the clock has advanced by bytes / rate');
});
t.test('unused rate is saved up only to the burst size', async (t) => {
    clockMs = 10_000;
    const bucket = new Bandwidth({ bytesPerSecond: 1_000_000, burstSeconds: 0.1 });
    await bucket.take(64 * KIB);
    clockMs += 3_600_000; // an idle hour
    const takes = [watch(bucket.take(50_000)), watch(bucket.take(50_000)), watch(bucket.take(1))];
    await turn();
    t.same(takes.map((take) => take.done), [true, true, false], 'after any idle time, still only 100 000 bytes at once');
    clockMs += 1;
    await takes[2].promise;
});
t.test('the burst is never smaller than one 64 KiB piece, so a slow rate still sends', async (t) => {
    clockMs = 20_000;
    const bucket = new Bandwidth({ bytesPerSecond: 1_000, burstSeconds: 0.1 });
    const piece = watch(bucket.take(64 * KIB));
    await turn();
    t.ok(piece.done, 'a full piece goes at once even though 0.1 s of the rate is 100 bytes');
    const next = watch(bucket.take(500));
    await turn();
    t.notOk(next.done, 'then the 1 000 B/s rate holds');
    clockMs += 500;
    await next.promise;
});
t.test('waiting transfers are served in arrival order', async (t) => {
    clockMs = 30_000;
    const bucket = new Bandwidth({ bytesPerSecond: 1_000_000 });
    await bucket.take(100_000);
    const order = [];
    const takes = [1, 2, 3, 4].map((n) => bucket.take(10_000 * n).then(() => order.push(n)));
    clockMs += 1_000;
    await Promise.all(takes);
    t.same(order, [1, 2, 3, 4]);
});
t.test('pace() passes every byte, in order, in pieces of at most 64 KiB', async (t) => {
    clockMs = 40_000;
    const bucket = new Bandwidth({ bytesPerSecond: 1e12 });
    const data = randomBytes(300 * KIB);
    const chunks = [];
    const paced = Readable.from([data.subarray(0, 1000), data.subarray(1000)]).pipe(bucket.pace());
    paced.on('data', (chunk) => chunks.push(chunk));
    await once(paced, 'end');
    const out = Buffer.concat(chunks);
    const sizes = chunks.map((chunk) => chunk.length);
    t.ok(out.equals(data), 'the bytes are unchanged');
    t.ok(sizes.every((size) => size <= 64 * KIB), `pieces ${sizes.join(', ')}`);
    t.ok(sizes.length >= 1 + Math.ceil((data.length - 1000) / (64 * KIB)), 'the big chunk is split into 64 KiB pieces');
});
//# sourceMappingURL=bandwidth.unit.js.map