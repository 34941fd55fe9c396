import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './helm.js';
const run = promisify(execFile);
/** Runs Debian's promtool (scripts/test-deps.sh installs it); resolves with stdout, rejects with its output. */
export async function promtool(args) {
    try {
        return (await run('promtool', args, { cwd: ROOT })).stdout;
    }
    catch (err) {
        const { stdout = '', stderr = '' } = err;
        throw new Error(`promtool ${args.join(' ')} failed:\n${stdout}${stderr}`);
    }
}
/**
 * Every metric name the code registers (`name: 'codesync_…'` or a helper's name argument) in
 * server/, agent/, cli/ and protocol/, plus the series a histogram exposes.
 */
export function exportedMetricNames() {
    const names = new Set();
    const walk = (dir) => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
            const path = join(dir, entry.name);
            if (entry.isDirectory())
                walk(path);
            else if (entry.name.endsWith('.ts'))
                for (const match of readFileSync(path, 'utf8').matchAll(/'(codesync_[a-z0-9_]+)'/g))
                    names.add(match[1]);
        }
    };
    for (const part of ['server', 'agent', 'cli', 'protocol'])
        walk(join(ROOT, part));
    for (const name of [...names])
        for (const suffix of ['_bucket', '_sum', '_count'])
            names.add(name + suffix);
    return names;
}
/** Metric names a PromQL expression selects (codesync ones and Prometheus' own `up`). */
export function metricNamesIn(expr) {
    return [...new Set(expr.match(/\b(codesync_[a-z0-9_]+|up)\b(?=\s*[{[)\s]|$)/g) ?? [])];
}
//# sourceMappingURL=promql.js.map