import t from 'tap';
import { AppWaiters } from '../../../agent/reload/socket/waiters.js';
const activated = (app, seq) => ({ app, seq, digest: `sha256:${'0'.repeat(64)}`, path: `/var/lib/codesync/apps/${app}/current`, activatedAt: '2026-01-01T00:00:00.000Z' });
t.test('every waiter of an app is answered once, by its next activation', async (t) => {
    const waiters = new AppWaiters();
    const got = [];
    waiters.add('web', (a) => got.push(`first ${a?.seq}`));
    waiters.add('web', (a) => got.push(`second ${a?.seq}`));
    waiters.add('api', (a) => got.push(`api ${a?.seq}`));
    t.equal(waiters.size, 3);
    waiters.notify(activated('web', 4));
    t.same(got.sort(), ['first 4', 'second 4'], 'both web waiters, not the api one');
    t.equal(waiters.size, 1);
    waiters.notify(activated('web', 5));
    t.equal(got.length, 2, 'answered waiters are gone: a later activation does not reach them');
});
t.test('cancel removes one waiter and only that one', async (t) => {
    const waiters = new AppWaiters();
    const got = [];
    const cancel = waiters.add('web', () => got.push('cancelled'));
    waiters.add('web', () => got.push('kept'));
    cancel();
    t.equal(waiters.size, 1);
    waiters.notify(activated('web', 1));
    t.same(got, ['kept']);
    cancel();
    t.equal(waiters.size, 0, 'cancelling twice is harmless');
});
t.test('a waiter added while its app is being notified waits for the next activation', async (t) => {
    const waiters = new AppWaiters();
    const got = [];
    let cancelLate;
    const cancelFirst = waiters.add('web', () => {
        cancelLate = waiters.add('web', (a) => got.push(a.seq));
    });
    waiters.notify(activated('web', 1));
    t.same(got, [], 'not answered by the activation that registered it');
    cancelFirst();
    t.equal(waiters.size, 1, 'cancelling an answered waiter leaves the new one registered');
    waiters.notify(activated('web', 2));
    t.same(got, [2]);
    cancelLate();
});
t.test('closeAll answers every waiter with undefined', async (t) => {
    const waiters = new AppWaiters();
    const got = [];
    waiters.add('web', (a) => got.push(a));
    waiters.add('api', (a) => got.push(a));
    waiters.closeAll();
    t.same(got, [undefined, undefined]);
    t.equal(waiters.size, 0);
});
//# sourceMappingURL=waiters.unit.js.map