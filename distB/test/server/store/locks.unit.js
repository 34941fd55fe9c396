import t from 'tap';
import { KeyedMutex, SharedExclusiveLock } from '../../../server/store/locks.js';
/** A promise the test resolves by hand, so each holder keeps its lock exactly as long as wanted. */
function deferred() {
    let resolve;
    let reject;
    const promise = new Promise((yes, no) => ((resolve = yes), (reject = no)));
    return { promise, resolve, reject };
}
// The locks are promise chains only: once the macrotask queue turns, every grant that can happen has.
const settle = () => new Promise((resolve) => setImmediate(resolve));
t.test('KeyedMutex runs work for one key one at a time, in arrival order', async (t) => {
    const mutex = new KeyedMutex();
    const log = [];
    const gates = [deferred(), deferred(), deferred()];
    const runs = gates.map((gate, i) => mutex.run('web', async () => {
        log.push(`start ${i}`);
        await gate.promise;
        log.push(`end ${i}`);
        return i;
    }));
    await settle();
    t.same(log, ['start 0'], 'only the first holder runs');
    gates[2].resolve();
    gates[1].resolve();
    await settle();
    t.same(log, ['start 0'], 'later holders wait even when their own work could finish');
    gates[0].resolve();
    t.same(await Promise.all(runs), [0, 1, 2], 'each run returns its own work\'s value');
    t.same(log, ['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2'], 'FIFO, never overlapping');
});
t.test('KeyedMutex: different keys do not wait for each other', async (t) => {
    const mutex = new KeyedMutex();
    const held = deferred();
    const web = mutex.run('web', () => held.promise);
    let apiRan = false;
    await mutex.run('api', async () => {
        apiRan = true;
    });
    t.ok(apiRan, 'api ran while web is held');
    held.resolve();
    await web;
});
t.test('KeyedMutex: a failing holder rethrows and lets the next one in', async (t) => {
    const mutex = new KeyedMutex();
    const failing = mutex.run('web', async () => {
        throw new Error('boom');
    });
    const next = mutex.run('web', async () => 'next ran');
    await t.rejects(failing, { message: 'boom' });
    t.equal(await next, 'next ran');
    t.equal(await mutex.run('web', async () => 'later'), 'later', 'the key is usable after the queue drained');
});
t.test('SharedExclusiveLock: shared holders overlap; exclusive waits for all of them', async (t) => {
    const lock = new SharedExclusiveLock();
    const log = [];
    const a = deferred();
    const b = deferred();
    const sharedA = lock.withShared(async () => (log.push('a in'), await a.promise, log.push('a out')));
    const sharedB = lock.withShared(async () => (log.push('b in'), await b.promise, log.push('b out')));
    await settle();
    t.same(log, ['a in', 'b in'], 'two shared holders at once');
    const exclusive = lock.withExclusive(async () => log.push('gc'));
    a.resolve();
    await settle();
    t.same(log, ['a in', 'b in', 'a out'], 'exclusive still waits for the second shared holder');
    b.resolve();
    await Promise.all([sharedA, sharedB, exclusive]);
    t.same(log, ['a in', 'b in', 'a out', 'b out', 'gc']);
});
t.test('SharedExclusiveLock: a waiting exclusive request blocks new shared holders (no writer starvation)', async (t) => {
    const lock = new SharedExclusiveLock();
    const log = [];
    const first = deferred();
    const gc = deferred();
    const held = lock.withShared(async () => (log.push('shared 1'), await first.promise));
    const exclusive = lock.withExclusive(async () => (log.push('gc in'), await gc.promise, log.push('gc out')));
    const late = lock.withShared(async () => log.push('shared 2'));
    await settle();
    t.same(log, ['shared 1'], 'the shared request that came after the exclusive one waits');
    first.resolve();
    await settle();
    t.same(log, ['shared 1', 'gc in'], 'exclusive runs alone');
    gc.resolve();
    await Promise.all([held, exclusive, late]);
    t.same(log, ['shared 1', 'gc in', 'gc out', 'shared 2']);
});
t.test('SharedExclusiveLock: exclusive holders exclude each other; queued shared ones enter together', async (t) => {
    const lock = new SharedExclusiveLock();
    const log = [];
    const one = deferred();
    const x1 = lock.withExclusive(async () => (log.push('x1 in'), await one.promise, log.push('x1 out')));
    const x2 = lock.withExclusive(async () => log.push('x2'));
    const gate = deferred();
    const s1 = lock.withShared(async () => (log.push('s1 in'), await gate.promise));
    const s2 = lock.withShared(async () => (log.push('s2 in'), await gate.promise));
    await settle();
    t.same(log, ['x1 in']);
    one.resolve();
    await settle();
    t.same(log, ['x1 in', 'x1 out', 'x2', 's1 in', 's2 in'], 'x2 next, then both shared waiters at once');
    gate.resolve();
    await Promise.all([x1, x2, s1, s2]);
});
t.test('SharedExclusiveLock: a failing holder releases the lock', async (t) => {
    const lock = new SharedExclusiveLock();
    await t.rejects(lock.withExclusive(async () => Promise.reject(new Error('exclusive failed'))), { message: 'exclusive failed' });
    await t.rejects(lock.withShared(async () => Promise.reject(new Error('shared failed'))), { message: 'shared failed' });
    t.equal(await lock.withExclusive(async () => 'free'), 'free', 'exclusive granted after both failures');
});
//# sourceMappingURL=locks.unit.js.map