import t from 'tap';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CHART, helm, ROOT } from './helm.js';
import { find, flags, fullValues, one, renderChart, VALUES } from './rendered-chart.js';
// Real helm (lint, template) over the chart with three values sets; every rendered object is
// checked against the code it deploys: routes, ports, volumes, RBAC, tokens, rules. Values and
// flags: chart-values.test.ts; TLS and cluster-scoped names: chart-isolation.test.ts.
const { rendered, home } = renderChart(t);
t.test('helm lint passes with default, minimal and full values', async (t) => {
    const results = await Promise.all(Object.entries(VALUES).map(async ([name, args]) => [name, await helm(['lint', CHART, '--strict', ...args], home)]));
    for (const [name, out] of results)
        t.match(out, /1 chart\(s\) linted, 0 chart\(s\) failed/, `${name} values lint clean`);
});
t.test('every rendered document is a named Kubernetes object', async (t) => {
    for (const [name, docs] of rendered) {
        t.ok(docs.length >= 9, `${name}: ${docs.length} documents`);
        for (const doc of docs)
            t.ok(doc.apiVersion && doc.kind && doc.metadata?.name, `${name}: ${doc.kind}/${doc.metadata?.name}`);
    }
    const kinds = (name) => rendered.get(name).map((doc) => doc.kind).sort();
    t.same(kinds('default'), ['ClusterRole', 'ClusterRoleBinding', 'DaemonSet', 'Deployment', 'PersistentVolumeClaim', 'Secret', 'Service', 'Service', 'ServiceAccount']);
    t.same(kinds('full'), [...kinds('default'), 'ConfigMap', 'ConfigMap', 'Ingress', 'PrometheusRule', 'ServiceMonitor', 'ServiceMonitor', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'].sort());
});
t.test('the server: one replica on its store, its Service on the --listen port, probes on real routes', async (t) => {
    const routes = serverRoutes();
    for (const [name, docs] of rendered) {
        const deployment = one(docs, 'Deployment', 'server');
        t.equal(deployment.spec.replicas, 1, `${name}: one replica (the embedded store)`);
        t.equal(deployment.spec.strategy.type, 'Recreate', `${name}: never two servers on the store`);
        const pod = deployment.spec.template.spec;
        const container = pod.containers[0];
        const args = flags(container.args);
        const listenPort = Number(/:(\d+)$/.exec(args.get('--listen'))?.[1]);
        const http = container.ports.find((port) => port.name === 'http');
        t.equal(http.containerPort, listenPort, `${name}: the container port is the --listen port`);
        const service = one(docs, 'Service', 'server');
        t.equal(service.spec.ports[0].targetPort, 'http', `${name}: the Service targets the --listen port`);
        t.same(service.spec.selector, deployment.spec.selector.matchLabels, `${name}: the Service selects the server pod`);
        if (name !== 'full')
            t.equal(service.spec.ports[0].port, 7400, `${name}: Service port 7400, as --listen's default`);
        for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
            const get = container[probe].httpGet;
            t.ok(routes.includes(get.path), `${name}: server ${probe} ${get.path} is a route of the server`);
            t.equal(get.port, 'http');
            t.equal(get.scheme, name === 'full' ? 'HTTPS' : 'HTTP', `${name}: ${probe} speaks what the server serves`);
        }
        t.equal(args.get('--data'), '/data');
        t.ok(container.volumeMounts.some((mount) => mount.name === 'data' && mount.mountPath === '/data'), `${name}: the store is mounted at --data`);
        t.equal(pod.enableServiceLinks, false, `${name}: no service-link variables among the CODESYNC_* flags`);
        t.equal(pod.securityContext.runAsNonRoot, true, `${name}: the server runs as the image's non-root user`);
        t.equal(pod.securityContext.runAsUser, 10001);
        const data = pod.volumes.find((volume) => volume.name === 'data');
        const claim = find(docs, 'PersistentVolumeClaim')[0];
        t.equal(data.persistentVolumeClaim.claimName, claim?.metadata.name, `${name}: the store is the chart's PVC`);
    }
    const full = rendered.get('full');
    const ingress = one(full, 'Ingress');
    const backend = ingress.spec.rules[0].http.paths[0].backend.service;
    t.equal(backend.name, one(full, 'Service', 'server').metadata.name, 'the Ingress routes to the server Service');
    t.equal(backend.port.name, 'http');
    t.equal(one(full, 'Service', 'server').spec.ports[0].port, fullValues.server.service.port);
    t.equal(flags(one(full, 'Deployment', 'server').spec.template.spec.containers[0].args).get('--max-bandwidth'), '200MiB');
});
t.test('the agent: hostPaths, node name from the downward API, rolling update, scheduling from values', async (t) => {
    const routes = agentRoutes();
    for (const [name, docs] of rendered) {
        const daemonset = one(docs, 'DaemonSet', 'agent');
        const pod = daemonset.spec.template.spec;
        const container = pod.containers[0];
        const args = flags(container.args);
        const hostPath = (volumeName) => pod.volumes.find((volume) => volume.name === volumeName)?.hostPath?.path;
        const mountOf = (volumeName) => container.volumeMounts.find((mount) => mount.name === volumeName)?.mountPath;
        const root = name === 'full' ? fullValues.agent.root : '/var/lib/codesync';
        const socketDir = name === 'full' ? fullValues.agent.socketDir : '/run/codesync';
        t.equal(args.get('--root'), root, `${name}: --root`);
        t.equal(hostPath('root'), root, `${name}: the root is the node's ${root}`);
        t.equal(mountOf('root'), root, `${name}: mounted at the same path, so paths reported to pods are node paths`);
        t.equal(dirname(args.get('--socket')), socketDir, `${name}: the socket lives in ${socketDir}`);
        t.equal(hostPath('socket'), socketDir);
        t.equal(mountOf('socket'), socketDir);
        const nodeName = container.env.find((env) => env.name === 'NODE_NAME');
        t.same(nodeName.valueFrom, { fieldRef: { fieldPath: 'spec.nodeName' } }, `${name}: NODE_NAME from the downward API`);
        t.equal(args.get('--node'), '$(NODE_NAME)', `${name}: --node is the node, not the pod`);
        const nodeOptions = container.env.find((env) => env.name === 'NODE_OPTIONS');
        t.equal(nodeOptions?.value, '--max-semi-space-size=2', `${name}: a small young generation keeps the idle agent's RSS down (docs/operations.md)`);
        t.equal(daemonset.spec.updateStrategy.type, 'RollingUpdate');
        t.equal(daemonset.spec.updateStrategy.rollingUpdate.maxUnavailable, name === 'full' ? '25%' : '10%');
        const listenPort = Number(/:(\d+)$/.exec(args.get('--listen'))?.[1]);
        t.equal(container.ports.find((port) => port.name === 'metrics').containerPort, listenPort, `${name}: metrics port is --listen`);
        for (const probe of ['livenessProbe', 'readinessProbe']) {
            t.ok(routes.includes(container[probe].httpGet.path), `${name}: agent ${probe} ${container[probe].httpGet.path} is a route of the agent`);
            t.equal(container[probe].httpGet.port, 'metrics');
        }
        t.equal(container.securityContext.runAsUser, 0, `${name}: the agent runs as root for its hostPaths (documented)`);
        t.same(container.securityContext.capabilities.drop, ['ALL']);
        t.equal(pod.serviceAccountName, one(docs, 'ServiceAccount', 'agent').metadata.name);
        t.equal(pod.enableServiceLinks, false, `${name}: no service-link variables among the CODESYNC_* flags`);
        const server = one(docs, 'Service', 'server');
        const scheme = name === 'full' ? 'https' : 'http';
        t.equal(args.get('--server'), `${scheme}://${server.metadata.name}.codesync.svc:${server.spec.ports[0].port}`, `${name}: --server is the chart's Service (https with server.tls)`);
    }
    const pod = one(rendered.get('full'), 'DaemonSet', 'agent').spec.template.spec;
    // Each trusted key is a file of the keys' ConfigMap, mounted where --trust-key points.
    const trustArgs = pod.containers[0].args.filter((arg) => arg.startsWith('--trust-key='));
    const keys = one(rendered.get('full'), 'ConfigMap', 'agent');
    t.same(Object.keys(keys.data), Object.keys(fullValues.agent.trustKeys).map((name) => `${name}.pem`));
    const trustMount = pod.containers[0].volumeMounts.find((mount) => mount.name === 'trust-keys').mountPath;
    t.same(trustArgs, Object.keys(keys.data).map((file) => `--trust-key=${trustMount}/${file}`), 'a --trust-key per key, at its mounted path');
    t.equal(pod.volumes.find((volume) => volume.name === 'trust-keys').configMap.name, keys.metadata.name);
    t.notOk(find(rendered.get('default'), 'ConfigMap').length, 'no keys, no ConfigMap: unsigned releases accepted');
    const fullArgs = flags(pod.containers[0].args);
    t.equal(fullArgs.get('--label-node-ready'), '', 'agent.labelNodeReady → --label-node-ready');
    t.equal(fullArgs.get('--prune-after'), fullValues.agent.pruneAfter);
    t.equal(flags(one(rendered.get('full'), 'Deployment', 'server').spec.template.spec.containers[0].args).get('--forget-nodes-after'), fullValues.server.forgetNodesAfter);
    const defaultArgs = flags(one(rendered.get('default'), 'DaemonSet', 'agent').spec.template.spec.containers[0].args);
    t.notOk(defaultArgs.has('--label-node-ready') || defaultArgs.has('--prune-after'), 'defaults leave the agent its own defaults');
    t.same(pod.nodeSelector, fullValues.agent.nodeSelector);
    t.same(pod.affinity, fullValues.agent.affinity);
    t.same(pod.tolerations, fullValues.agent.tolerations);
    t.equal(pod.priorityClassName, fullValues.agent.priorityClassName);
});
t.test('RBAC: the agent gets exactly the rules of docs/rbac.yaml, no wildcard', async (t) => {
    const documented = parseYaml(readFileSync(join(ROOT, 'docs/rbac.yaml'), 'utf8'));
    for (const [name, docs] of rendered) {
        const role = one(docs, 'ClusterRole', 'agent');
        t.same(role.rules, documented.rules, `${name}: ClusterRole rules equal docs/rbac.yaml`);
        t.notMatch(JSON.stringify(role.rules), /"\*"/, `${name}: no * in any rule`);
        const binding = one(docs, 'ClusterRoleBinding', 'agent');
        t.equal(binding.roleRef.name, role.metadata.name);
        t.same(binding.subjects, [{ kind: 'ServiceAccount', name: one(docs, 'ServiceAccount', 'agent').metadata.name, namespace: 'codesync' }]);
    }
});
t.test('tokens: one Secret, the server reads scoped lines, agents the read token', async (t) => {
    for (const [name, docs] of rendered) {
        const secret = one(docs, 'Secret');
        const read = secret.stringData['read-token'];
        const publish = secret.stringData['publish-token'];
        t.equal(secret.stringData.tokens, `publish:${publish}\nread:${read}\n`, `${name}: the server's token file`);
        t.not(read, publish, `${name}: two distinct tokens`);
        if (name !== 'full')
            t.ok(read.length >= 32 && publish.length >= 32, `${name}: generated tokens are long`);
        const serverPod = one(docs, 'Deployment', 'server').spec.template.spec;
        const agentPod = one(docs, 'DaemonSet', 'agent').spec.template.spec;
        const key = (pod) => pod.volumes.find((volume) => volume.secret).secret;
        t.equal(key(serverPod).secretName, secret.metadata.name);
        t.same(key(serverPod).items.map((item) => item.key), ['tokens']);
        t.same(key(agentPod).items.map((item) => item.key), ['read-token'], `${name}: agents get the read token only`);
    }
    const full = one(rendered.get('full'), 'Secret');
    t.equal(full.stringData['publish-token'], fullValues.auth.publishToken);
});
t.test('metrics: ServiceMonitors name the jobs the rules use; the PrometheusRule is the rules file; the dashboard ConfigMap is the dashboard', async (t) => {
    const full = rendered.get('full');
    const rules = parseYaml(readFileSync(join(CHART, 'files/codesync.rules.yaml'), 'utf8'));
    t.same(one(full, 'PrometheusRule').spec.groups, rules.groups, 'PrometheusRule renders the groups of files/codesync.rules.yaml');
    for (const monitor of find(full, 'ServiceMonitor')) {
        const component = monitor.metadata.labels['app.kubernetes.io/component'];
        const service = one(full, 'Service', component);
        t.equal(service.metadata.labels[monitor.spec.jobLabel], `codesync-${component}`, `${component}: job="codesync-${component}"`);
        t.same(monitor.spec.selector.matchLabels, Object.fromEntries(Object.entries(service.spec.selector)), `${component}: selects the Service`);
        t.equal(monitor.spec.endpoints[0].port, service.spec.ports[0].name);
        t.equal(monitor.metadata.labels.release, 'prometheus');
    }
    const dashboard = find(full, 'ConfigMap').find((map) => map.metadata.labels.grafana_dashboard);
    t.equal(dashboard.metadata.labels.grafana_dashboard, '1');
    t.same(JSON.parse(dashboard.data['codesync.json']), JSON.parse(readFileSync(join(CHART, 'files/dashboard.json'), 'utf8')));
});
/** Paths the server answers without a token, read from its health routes. */
function serverRoutes() {
    const source = readFileSync(join(ROOT, 'server/routes/health.ts'), 'utf8');
    return [...source.matchAll(/app\.get\('(\/[a-z]+)'/g)].map((match) => match[1]);
}
/** Paths of the agent's own HTTP listener. */
function agentRoutes() {
    const source = readFileSync(join(ROOT, 'agent/observability/http-listener.ts'), 'utf8');
    return [...source.matchAll(/path === '(\/[a-z]+)'/g)].map((match) => match[1]);
}
//# sourceMappingURL=chart.test.js.map