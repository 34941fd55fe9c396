import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { CHART } from './helm.js';
import { exportedMetricNames, metricNamesIn, promtool } from './promql.js';
const dashboard = JSON.parse(readFileSync(join(CHART, 'files/dashboard.json'), 'utf8'));
const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
const exprs = panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })));
t.test('the dashboard shows rollout progress per app, lag per node, the slot queue and bytes served', async (t) => {
    const uses = (pattern) => exprs.some(({ expr }) => pattern.test(expr));
    t.ok(uses(/count by \(app\) \(codesync_server_node_sync_lag_seconds.*== 0\)/), 'rollout progress per app');
    t.ok(uses(/by \(app, node\) \(codesync_server_node_sync_lag_seconds/), 'lag per node');
    t.ok(uses(/codesync_server_pull_slots_waiting/) && uses(/codesync_server_pull_slots_active/), 'slot queue');
    t.ok(uses(/rate\(codesync_server_blob_bytes_sent_total/), 'bytes served');
    t.ok(exprs.length >= 15, `${exprs.length} expressions`);
});
t.test('promtool parses every expression', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'codesync-dashboard-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'dashboard.rules.yaml');
    const rules = exprs.map(({ expr }, n) => ({ record: `codesync:dashboard_expr_${n}`, expr }));
    writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules }] }));
    t.match(await promtool(['check', 'rules', file]), new RegExp(`SUCCESS: ${rules.length} rules found`));
});
t.test('every expression and the app variable name only metrics the code exports', async (t) => {
    const exported = exportedMetricNames();
    const variables = dashboard.templating.list.filter((variable) => variable.definition).map((variable) => ({ panel: `$${variable.name}`, expr: variable.definition }));
    for (const { panel, expr } of [...exprs, ...variables]) {
        const names = metricNamesIn(expr.replace(/^label_values\(([a-z0-9_]+),.*$/, '$1'));
        t.ok(names.length > 0, `${panel}: selects a metric`);
        for (const name of names)
            t.ok(name === 'up' || exported.has(name), `${panel}: ${name} is exported by the code`);
    }
});
//# sourceMappingURL=dashboard.test.js.map