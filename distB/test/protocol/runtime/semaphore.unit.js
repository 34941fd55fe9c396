import t from 'tap';
import { Semaphore } from '../../../protocol/runtime/semaphore.js';
t.test('at most `limit` holders; waiters get permits in arrival order', async (t) => {
    const semaphore = new Semaphore(2);
    await semaphore.acquire();
    await semaphore.acquire();
    t.equal(semaphore.held, 2);
    const order = [];
    const first = semaphore.acquire().then(() => order.push('first'));
    const second = semaphore.acquire().then(() => order.push('second'));
    await Promise.resolve();
    t.same(order, [], 'nobody gets a third permit');
    semaphore.release();
    await first;
    t.same(order, ['first']);
    t.equal(semaphore.held, 2, 'the released permit went straight to the waiter');
    semaphore.release();
    await second;
    t.same(order, ['first', 'second']);
    semaphore.release();
    semaphore.release();
    t.equal(semaphore.held, 0);
});
t.test('a caller arriving after a release does not overtake a waiter', async (t) => {
    const semaphore = new Semaphore(1);
    await semaphore.acquire();
    const order = [];
    const waiter = semaphore.acquire().then(() => order.push('waiter'));
    semaphore.release();
    const late = semaphore.acquire().then(() => order.push('late'));
    await waiter;
    semaphore.release();
    await late;
    t.same(order, ['waiter', 'late']);
});
t.test('misuse is an error', async (t) => {
    t.throws(() => new Semaphore(0), RangeError);
    t.throws(() => new Semaphore(1.5), RangeError);
    t.throws(() => new Semaphore(1).release(), /released more often than acquired/);
});
//# sourceMappingURL=semaphore.unit.js.map