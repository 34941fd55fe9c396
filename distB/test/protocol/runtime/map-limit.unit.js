import t from 'tap';
import { mapLimit } from '../../../protocol/runtime/map-limit.js';
t.test('results keep input order whatever order the work finishes in', async (t) => {
    const items = [5, 1, 4, 2, 3];
    // Later items finish first: each waits for fewer queued turns than the one before it.
    const results = await mapLimit(items, 3, async (n) => {
        for (let i = 0; i < n; i++)
            await new Promise((resolve) => setImmediate(resolve));
        return n * 10;
    });
    t.same(results, [50, 10, 40, 20, 30]);
});
t.test('never more than `limit` calls in flight, and every item worked once', async (t) => {
    for (const limit of [1, 2, 7, 100]) {
        let inFlight = 0;
        let peak = 0;
        const seen = [];
        const items = Array.from({ length: 20 }, (_, i) => i);
        await mapLimit(items, limit, async (n) => {
            inFlight++;
            peak = Math.max(peak, inFlight);
            seen.push(n);
            await new Promise((resolve) => setImmediate(resolve));
            inFlight--;
        });
        t.equal(peak, Math.min(limit, items.length), `limit ${limit}: peak in flight`);
        t.same(seen.sort((a, b) => a - b), items, `limit ${limit}: each item once`);
    }
});
t.test('no items: no work, an empty result', async (t) => {
    let calls = 0;
    t.same(await mapLimit([], 4, async () => ++calls), []);
    t.equal(calls, 0);
});
t.test('a failing call rejects the whole map with its error', async (t) => {
    await t.rejects(mapLimit([1, 2, 3], 2, async (n) => {
        if (n === 2)
            throw new Error('item 2 failed');
        return n;
    }), { message: 'item 2 failed' });
});
//# sourceMappingURL=map-limit.unit.js.map