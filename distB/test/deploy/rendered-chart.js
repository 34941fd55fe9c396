import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CHART, helm, parseManifests } from './helm.js';
// The chart rendered by real helm (template) with three values sets, for the chart tests: each
// file checks one concept of what it deploys against the code (objects, values and flags, TLS
// and cluster-scoped names).
export const VALUES = {
    default: [],
    minimal: ['-f', join(CHART, 'ci/minimal-values.yaml')],
    full: ['-f', join(CHART, 'ci/full-values.yaml')],
};
export const fullValues = parseYaml(readFileSync(join(CHART, 'ci/full-values.yaml'), 'utf8'));
/**
 * Renders the chart with every values set before `t`'s tests run; the map fills in then. `home`
 * is helm's state dir for the file (no repositories, no cluster), removed at the end.
 */
export function renderChart(t) {
    const home = mkdtempSync(join(tmpdir(), 'codesync-helm-'));
    t.teardown(() => rmSync(home, { recursive: true, force: true }));
    const rendered = new Map();
    t.before(async () => {
        await Promise.all(Object.entries(VALUES).map(async ([name, args]) => {
            rendered.set(name, parseManifests(await helm(['template', 'codesync', CHART, '--namespace', 'codesync', ...args], home)));
        }));
    });
    return { rendered, home };
}
export function find(docs, kind, component) {
    return docs.filter((doc) => doc.kind === kind && (!component || doc.metadata.labels?.['app.kubernetes.io/component'] === component));
}
export function one(docs, kind, component) {
    const found = find(docs, kind, component);
    if (found.length !== 1)
        throw new Error(`expected one ${kind} ${component ?? ''}, got ${found.length}`);
    return found[0];
}
/** `--flag=value` args of a container as a map. */
export function flags(args) {
    const pairs = args.filter((arg) => arg.startsWith('--')).map((arg) => /^(--[^=]+)(?:=(.*))?$/.exec(arg));
    return new Map(pairs.map((match) => [match[1], match[2] ?? '']));
}
export function podContainers(doc) {
    const pod = doc.spec?.template?.spec ?? (doc.kind === 'Pod' ? doc.spec : undefined);
    return pod ? [...(pod.initContainers ?? []), ...pod.containers] : [];
}
export function exampleManifests() {
    const dir = join(CHART, 'examples/php-nginx');
    return readdirSync(dir)
        .filter((file) => file.endsWith('.yaml'))
        .flatMap((file) => parseManifests(readFileSync(join(dir, file), 'utf8')));
}
//# sourceMappingURL=rendered-chart.js.map