import t from 'tap';
import { LagTracker } from '../../agent/observability/lag-tracker.js';
// Every call passes `now`, so the lag is checked against a clock the test owns.
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (seconds) => new Date(T0 + seconds * 1000).toISOString();
const now = (seconds) => T0 + seconds * 1000;
t.test('an app never heard of has no lag', async (t) => {
    const lag = new LagTracker();
    t.equal(lag.lagSeconds('web', now(100)), 0);
    t.equal(lag.latest('web'), undefined);
    t.same(lag.appNames(), []);
});
t.test('lag is 0 when current and grows from the oldest release not yet applied', async (t) => {
    const lag = new LagTracker();
    lag.learned('web', 1, at(0));
    t.equal(lag.lagSeconds('web', now(5)), 5, 'nothing applied yet: lag since seq 1 was published');
    lag.applied('web', 1);
    t.equal(lag.lagSeconds('web', now(6)), 0, 'current');
    t.equal(lag.lagSeconds('web', now(600)), 0, 'staying current keeps the lag at 0 however long');
    lag.learned('web', 2, at(10));
    lag.learned('web', 3, at(20));
    t.equal(lag.latest('web'), 3);
    t.equal(lag.lagSeconds('web', now(25)), 15, 'two releases behind: counted from seq 2, the oldest missing');
    t.equal(lag.lagSeconds('web', now(85)), 75, 'cut off from the server, the lag keeps growing');
    lag.applied('web', 2);
    t.equal(lag.lagSeconds('web', now(90)), 70, 'seq 2 applied: counted from seq 3');
    lag.applied('web', 3);
    t.equal(lag.lagSeconds('web', now(90)), 0, 'current again');
});
t.test('releases learned out of order: the oldest missing one still counts', async (t) => {
    const lag = new LagTracker();
    lag.applied('web', 4);
    lag.learned('web', 7, at(30));
    lag.learned('web', 5, at(10));
    lag.learned('web', 6, at(20));
    t.equal(lag.lagSeconds('web', now(40)), 30, 'from seq 5');
    lag.applied('web', 6);
    t.equal(lag.lagSeconds('web', now(40)), 10, 'from seq 7');
});
t.test('a release at or below the applied seq does not make the node lag', async (t) => {
    const lag = new LagTracker();
    lag.applied('web', 3);
    lag.learned('web', 2, at(0));
    lag.learned('web', 3, at(1));
    t.equal(lag.lagSeconds('web', now(100)), 0);
    t.equal(lag.latest('web'), 3, 'latest is the highest seq known, applied or learned');
});
t.test('skipping releases: applying the newest clears the lag at once', async (t) => {
    const lag = new LagTracker();
    lag.applied('web', 1);
    for (let seq = 2; seq <= 9; seq++)
        lag.learned('web', seq, at(seq));
    t.equal(lag.lagSeconds('web', now(12)), 10, 'from seq 2');
    lag.applied('web', 9);
    t.equal(lag.lagSeconds('web', now(12)), 0);
});
t.test('a clock behind the publish time or an unreadable createdAt never gives a negative or NaN lag', async (t) => {
    const lag = new LagTracker();
    lag.learned('web', 1, at(50));
    t.equal(lag.lagSeconds('web', now(40)), 0, 'node clock 10 s behind the server: 0, not -10');
    const other = new LagTracker();
    other.learned('api', 1, 'not a date');
    const value = other.lagSeconds('api', now(40));
    t.ok(Number.isFinite(value) && value >= 0, `finite and >= 0, got ${value}`);
    t.equal(other.latest('api'), 1, 'the seq is still known');
});
t.test('apps are tracked apart', async (t) => {
    const lag = new LagTracker();
    lag.learned('web', 1, at(0));
    lag.learned('api', 1, at(10));
    lag.applied('api', 1);
    t.equal(lag.lagSeconds('web', now(30)), 30);
    t.equal(lag.lagSeconds('api', now(30)), 0);
    t.same(lag.appNames().sort(), ['api', 'web']);
});
//# sourceMappingURL=lag-tracker.unit.js.map