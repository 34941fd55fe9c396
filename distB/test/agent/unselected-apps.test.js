import t from 'tap';
import { UnselectedApps } from '../../agent/sync/unselected-apps.js';
// Every call takes `now`, so the prune timing is checked against a clock the test owns.
const MINUTE = 60_000;
t.test('an app counts as unselected from the first update that finds it unselected', async (t) => {
    const apps = new UnselectedApps();
    apps.update(['web', 'api'], (app) => app === 'web', 0);
    t.notOk(apps.isUnselected('web'));
    t.ok(apps.isUnselected('api'));
    apps.update(['web', 'api'], (app) => app === 'web', 30 * MINUTE);
    t.same(apps.due(60 * MINUTE, 59 * MINUTE), [], 'not yet: the count started at the first update, not the latest');
    t.same(apps.due(60 * MINUTE, 60 * MINUTE), ['api'], 'due exactly --prune-after later');
});
t.test('selected again: the count starts over', async (t) => {
    const apps = new UnselectedApps();
    apps.update(['api'], () => false, 0);
    apps.update(['api'], () => true, 50 * MINUTE);
    t.notOk(apps.isUnselected('api'));
    apps.update(['api'], () => false, 55 * MINUTE);
    t.same(apps.due(60 * MINUTE, 100 * MINUTE), [], '45 minutes unselected since it came back');
    t.same(apps.due(60 * MINUTE, 115 * MINUTE), ['api']);
});
t.test('an app no longer held is dropped; forget drops one by hand', async (t) => {
    const apps = new UnselectedApps();
    apps.update(['web', 'api'], () => false, 0);
    apps.update(['web'], () => false, MINUTE);
    t.notOk(apps.isUnselected('api'), 'its files are gone: nothing to prune');
    t.same(apps.due(1, 10 * MINUTE), ['web']);
    apps.forget('web');
    t.same(apps.due(1, 10 * MINUTE), []);
});
t.test('a prune-after of 0 never prunes', async (t) => {
    const apps = new UnselectedApps();
    apps.update(['api'], () => false, 0);
    t.same(apps.due(0, 1e12), []);
    t.ok(apps.isUnselected('api'), 'still reported as unselected');
});
//# sourceMappingURL=unselected-apps.test.js.map