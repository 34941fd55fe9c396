import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CHART, ROOT } from './helm.js';
import { exportedMetricNames, metricNamesIn, promtool } from './promql.js';
// The alert rules the chart ships, checked and unit-tested by the real promtool: series that must
// fire and series that must not (test/deploy/alerts.test.yaml).
const RULES = join(CHART, 'files/codesync.rules.yaml');
const TESTS = join(ROOT, 'test/deploy/alerts.test.yaml');
const rules = parseYaml(readFileSync(RULES, 'utf8')).groups.flatMap((group) => group.rules);
t.test('promtool accepts the rules file', async (t) => {
    t.match(await promtool(['check', 'rules', RULES]), new RegExp(`SUCCESS: ${rules.length} rules found`));
});
t.test('promtool unit tests pass: firing and quiet series, a de-selected node stays quiet', async (t) => {
    t.match(await promtool(['test', 'rules', TESTS]), /SUCCESS/);
});
t.test('every alert is tested firing, and every alert but the instant ones is tested quiet', async (t) => {
    const tests = parseYaml(readFileSync(TESTS, 'utf8')).tests.flatMap((test) => test.alert_rule_test);
    for (const { alert } of rules) {
        t.ok(tests.some((test) => test.alertname === alert && test.exp_alerts.length > 0), `${alert} has a case where it fires`);
    }
    // The "must not" cases that matter most: short lag, one failure, one failed scrape, a queue
    // that drains, a healthy disk, a de-selected node.
    for (const alert of ['CodesyncNodeSyncLagging', 'CodesyncPullQueueSaturated', 'CodesyncNodeRootFilling', 'CodesyncServerDown']) {
        t.ok(tests.some((test) => test.alertname === alert && test.exp_alerts.length === 0), `${alert} has a case where it must stay quiet`);
    }
});
t.test('the rules name only metrics the code exports', async (t) => {
    const exported = exportedMetricNames();
    for (const { alert, expr } of rules) {
        const names = metricNamesIn(expr);
        t.ok(names.length > 0, `${alert} selects a metric`);
        for (const name of names)
            t.ok(name === 'up' || exported.has(name), `${alert}: ${name} is exported by the code`);
    }
});
//# sourceMappingURL=alerts.test.js.map