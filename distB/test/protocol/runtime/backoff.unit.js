import t from 'tap';
import { backoffDelay, sleep } from '../../../protocol/runtime/backoff.js';
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
//# sourceMappingURL=backoff.unit.js.map