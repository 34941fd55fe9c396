import t from 'tap';
import { once, EventEmitter } from 'node:events';
import { ReloadScheduler } from '../../../cli/reload-hook/reload-scheduler.js';
const event = (seq, initial = false) => ({ app: 'web', seq, digest: `sha256:${String(seq).padStart(64, '0')}`, path: '/var/lib/codesync/apps/web/current', ...(initial ? { initial } : {}) });
/**
 * A scheduler whose reload action the test finishes by hand: `started` lists the seqs reloads
 * began for, `finish(seq)` completes that reload, `done` lists finished ones with their outcome.
 */
function harness(options = {}) {
    const started = [];
    const done = [];
    const pending = new Map();
    const events = new EventEmitter();
    let running = 0;
    let maxRunning = 0;
    const scheduler = new ReloadScheduler({
        debounceMs: 0,
        reloadOnStart: false,
        action: (e) => new Promise((resolve) => {
            running++;
            maxRunning = Math.max(maxRunning, running);
            pending.set(e.seq, resolve);
        }),
        onStart: (e) => {
            started.push(e.seq);
            events.emit('start', e.seq);
        },
        onDone: (e, outcome, durationMs) => {
            running--;
            done.push({ seq: e.seq, outcome, durationMs });
            events.emit('done', e.seq);
        },
        ...options,
    });
    const finish = async (seq, ok = true) => {
        const resolve = pending.get(seq);
        if (!resolve)
            throw new Error(`no reload of seq ${seq} is running`);
        pending.delete(seq);
        const finished = once(events, 'done');
        resolve({ ok, message: ok ? 'reloaded' : 'failed' });
        await finished;
    };
    return { scheduler, started, done, events, finish, maxRunning: () => maxRunning };
}
t.test('the state the pod started with is taken as done; the next switch reloads', async (t) => {
    const h = harness();
    h.scheduler.offer(event(5, true));
    h.scheduler.offer(event(5));
    t.same(h.started, [], 'no reload for the initial state, nor for it repeated');
    h.scheduler.offer(event(6));
    t.same(h.started, [6], 'a new seq reloads');
    await h.finish(6);
    t.same(h.done.map((d) => [d.seq, d.outcome.ok]), [[6, true]]);
    t.ok(h.done[0].durationMs >= 0, 'a duration is reported');
    h.scheduler.offer(event(6));
    t.same(h.started, [6], 'never twice for one seq');
    await h.scheduler.stop();
});
t.test('reloadOnStart reloads for the initial state too', async (t) => {
    const h = harness({ reloadOnStart: true });
    h.scheduler.offer(event(5, true));
    t.same(h.started, [5]);
    await h.finish(5);
    await h.scheduler.stop();
});
t.test('never two reloads at once; switches during a reload collapse to the newest', async (t) => {
    const h = harness();
    h.scheduler.offer(event(1, true));
    h.scheduler.offer(event(2));
    h.scheduler.offer(event(2));
    h.scheduler.offer(event(3));
    h.scheduler.offer(event(4));
    t.same(h.started, [2], 'seq 2 is reloading; 3 and 4 wait, and 2 again is ignored');
    const next = once(h.events, 'start');
    await h.finish(2);
    t.same(await next, [4], 'the newest waiting switch starts once seq 2 is done');
    await h.finish(4);
    t.same(h.started, [2, 4], 'seq 3 was never reloaded');
    t.equal(h.maxRunning(), 1, 'one reload at a time');
    await h.scheduler.stop();
});
t.test('a failed reload still counts as handled for its seq', async (t) => {
    const h = harness();
    h.scheduler.offer(event(1, true));
    h.scheduler.offer(event(2));
    await h.finish(2, false);
    t.same(h.done.map((d) => [d.seq, d.outcome.ok]), [[2, false]], 'the failure reaches onDone');
    h.scheduler.offer(event(2));
    t.same(h.started, [2], 'no automatic retry for the same seq');
    await h.scheduler.stop();
});
t.test('after a reconnect, the catch-up event reloads only when the seq moved', async (t) => {
    const h = harness();
    h.scheduler.offer(event(1, true));
    h.scheduler.offer(event(2));
    await h.finish(2);
    h.scheduler.offer(event(2, true));
    t.same(h.started, [2], 'reconnected, same seq: nothing to do');
    h.scheduler.offer(event(3, true));
    t.same(h.started, [2, 3], 'reconnected onto a seq that moved while away: reload');
    await h.finish(3);
    await h.scheduler.stop();
});
t.test('debounce: a burst of switches reloads once, for the newest', async (t) => {
    const h = harness({ debounceMs: 20 });
    h.scheduler.offer(event(1, true));
    const started = once(h.events, 'start');
    for (let seq = 2; seq <= 6; seq++)
        h.scheduler.offer(event(seq));
    t.same(h.started, [], 'nothing starts before the quiet time');
    t.same(await started, [6], 'the newest of the burst');
    await h.finish(6);
    t.same(h.started, [6], 'one reload for the whole burst');
    await h.scheduler.stop();
});
t.test('stop drops a debounced switch and waits for the running reload', async (t) => {
    const h = harness({ debounceMs: 60_000 });
    h.scheduler.offer(event(1, true));
    h.scheduler.offer(event(2));
    // Had stop left the 60 s debounce timer armed, this file would take a minute, not milliseconds.
    await h.scheduler.stop();
    t.same(h.started, [], 'the pending switch was dropped');
    const running = harness();
    running.scheduler.offer(event(1, true));
    running.scheduler.offer(event(2));
    let stopped = false;
    const stopping = running.scheduler.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    t.notOk(stopped, 'stop waits while a reload runs');
    await running.finish(2);
    await stopping;
    t.ok(stopped, 'stop resolves once the reload is done');
});
//# sourceMappingURL=reload-scheduler.unit.js.map