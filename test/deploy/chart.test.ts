import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { CLI } from '../helpers/codesync-process.js';
import { CHART, helm, parseManifests, ROOT, type K8sObject } from './helm.js';
import { optionTables } from '../../cli/commands/option-tables.js';
import { longName } from '../../cli/option-table.js';

// Real helm (lint, template) over the chart with three values sets; every rendered document is
// parsed as YAML and checked against the code it deploys: flags, routes, ports, RBAC, rules.

const run = promisify(execFile);
const home = mkdtempSync(join(tmpdir(), 'codesync-helm-'));
t.teardown(() => rmSync(home, { recursive: true, force: true }));

const VALUES = {
  default: [] as string[],
  minimal: ['-f', join(CHART, 'ci/minimal-values.yaml')],
  full: ['-f', join(CHART, 'ci/full-values.yaml')],
};
type ValuesSet = keyof typeof VALUES;
const fullValues = parseYaml(readFileSync(join(CHART, 'ci/full-values.yaml'), 'utf8')) as any;

const rendered = new Map<ValuesSet, K8sObject[]>();
t.before(async () => {
  await Promise.all(
    (Object.entries(VALUES) as [ValuesSet, string[]][]).map(async ([name, args]) => {
      rendered.set(name, parseManifests(await helm(['template', 'codesync', CHART, '--namespace', 'codesync', ...args], home)));
    }),
  );
});

function find(docs: K8sObject[], kind: string, component?: string): K8sObject[] {
  return docs.filter((doc) => doc.kind === kind && (!component || doc.metadata.labels?.['app.kubernetes.io/component'] === component));
}
function one(docs: K8sObject[], kind: string, component?: string): K8sObject {
  const found = find(docs, kind, component);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${component ?? ''}, got ${found.length}`);
  return found[0]!;
}
/** `--flag=value` args of a container as a map. */
function flags(args: string[]): Map<string, string> {
  const pairs = args.filter((arg) => arg.startsWith('--')).map((arg) => /^(--[^=]+)(?:=(.*))?$/.exec(arg)!);
  return new Map(pairs.map((match) => [match[1]!, match[2] ?? ''] as [string, string]));
}

t.test('helm lint passes with default, minimal and full values', async (t) => {
  const results = await Promise.all(Object.entries(VALUES).map(async ([name, args]) => [name, await helm(['lint', CHART, '--strict', ...args], home)] as const));
  for (const [name, out] of results) t.match(out, /1 chart\(s\) linted, 0 chart\(s\) failed/, `${name} values lint clean`);
});

t.test('every rendered document is a named Kubernetes object', async (t) => {
  for (const [name, docs] of rendered) {
    t.ok(docs.length >= 9, `${name}: ${docs.length} documents`);
    for (const doc of docs) t.ok(doc.apiVersion && doc.kind && doc.metadata?.name, `${name}: ${doc.kind}/${doc.metadata?.name}`);
  }
  const kinds = (name: ValuesSet) => rendered.get(name)!.map((doc) => doc.kind).sort();
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
    const listenPort = Number(/:(\d+)$/.exec(args.get('--listen')!)?.[1]);
    const http = container.ports.find((port: { name: string }) => port.name === 'http');
    t.equal(http.containerPort, listenPort, `${name}: the container port is the --listen port`);
    const service = one(docs, 'Service', 'server');
    t.equal(service.spec.ports[0].targetPort, 'http', `${name}: the Service targets the --listen port`);
    t.same(service.spec.selector, deployment.spec.selector.matchLabels, `${name}: the Service selects the server pod`);
    if (name !== 'full') t.equal(service.spec.ports[0].port, 7400, `${name}: Service port 7400, as --listen's default`);
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      const get = container[probe].httpGet;
      t.ok(routes.includes(get.path), `${name}: server ${probe} ${get.path} is a route of the server`);
      t.equal(get.port, 'http');
      t.equal(get.scheme, name === 'full' ? 'HTTPS' : 'HTTP', `${name}: ${probe} speaks what the server serves`);
    }
    t.equal(args.get('--data'), '/data');
    t.ok(container.volumeMounts.some((mount: { name: string; mountPath: string }) => mount.name === 'data' && mount.mountPath === '/data'), `${name}: the store is mounted at --data`);
    t.equal(pod.enableServiceLinks, false, `${name}: no service-link variables among the CODESYNC_* flags`);
    t.equal(pod.securityContext.runAsNonRoot, true, `${name}: the server runs as the image's non-root user`);
    t.equal(pod.securityContext.runAsUser, 10001);
    const data = pod.volumes.find((volume: { name: string }) => volume.name === 'data');
    const claim = find(docs, 'PersistentVolumeClaim')[0];
    t.equal(data.persistentVolumeClaim.claimName, claim?.metadata.name, `${name}: the store is the chart's PVC`);
  }
  const full = rendered.get('full')!;
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
    const hostPath = (volumeName: string) => pod.volumes.find((volume: { name: string }) => volume.name === volumeName)?.hostPath?.path;
    const mountOf = (volumeName: string) => container.volumeMounts.find((mount: { name: string }) => mount.name === volumeName)?.mountPath;
    const root = name === 'full' ? fullValues.agent.root : '/var/lib/codesync';
    const socketDir = name === 'full' ? fullValues.agent.socketDir : '/run/codesync';
    t.equal(args.get('--root'), root, `${name}: --root`);
    t.equal(hostPath('root'), root, `${name}: the root is the node's ${root}`);
    t.equal(mountOf('root'), root, `${name}: mounted at the same path, so paths reported to pods are node paths`);
    t.equal(dirname(args.get('--socket')!), socketDir, `${name}: the socket lives in ${socketDir}`);
    t.equal(hostPath('socket'), socketDir);
    t.equal(mountOf('socket'), socketDir);
    const nodeName = container.env.find((env: { name: string }) => env.name === 'NODE_NAME');
    t.same(nodeName.valueFrom, { fieldRef: { fieldPath: 'spec.nodeName' } }, `${name}: NODE_NAME from the downward API`);
    t.equal(args.get('--node'), '$(NODE_NAME)', `${name}: --node is the node, not the pod`);
    const nodeOptions = container.env.find((env: { name: string }) => env.name === 'NODE_OPTIONS');
    t.equal(nodeOptions?.value, '--max-semi-space-size=2', `${name}: a small young generation keeps the idle agent's RSS down (docs/operations.md)`);
    t.equal(daemonset.spec.updateStrategy.type, 'RollingUpdate');
    t.equal(daemonset.spec.updateStrategy.rollingUpdate.maxUnavailable, name === 'full' ? '25%' : '10%');
    const listenPort = Number(/:(\d+)$/.exec(args.get('--listen')!)?.[1]);
    t.equal(container.ports.find((port: { name: string }) => port.name === 'metrics').containerPort, listenPort, `${name}: metrics port is --listen`);
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
  const pod = one(rendered.get('full')!, 'DaemonSet', 'agent').spec.template.spec;
  // Each trusted key is a file of the keys' ConfigMap, mounted where --trust-key points.
  const trustArgs = (pod.containers[0].args as string[]).filter((arg) => arg.startsWith('--trust-key='));
  const keys = one(rendered.get('full')!, 'ConfigMap', 'agent');
  t.same(Object.keys(keys.data), Object.keys(fullValues.agent.trustKeys).map((name) => `${name}.pem`));
  const trustMount = pod.containers[0].volumeMounts.find((mount: { name: string }) => mount.name === 'trust-keys').mountPath;
  t.same(trustArgs, Object.keys(keys.data).map((file) => `--trust-key=${trustMount}/${file}`), 'a --trust-key per key, at its mounted path');
  t.equal(pod.volumes.find((volume: { name: string }) => volume.name === 'trust-keys').configMap.name, keys.metadata.name);
  t.notOk(find(rendered.get('default')!, 'ConfigMap').length, 'no keys, no ConfigMap: unsigned releases accepted');
  const fullArgs = flags(pod.containers[0].args);
  t.equal(fullArgs.get('--label-node-ready'), '', 'agent.labelNodeReady → --label-node-ready');
  t.equal(fullArgs.get('--prune-after'), fullValues.agent.pruneAfter);
  t.equal(flags(one(rendered.get('full')!, 'Deployment', 'server').spec.template.spec.containers[0].args).get('--forget-nodes-after'), fullValues.server.forgetNodesAfter);
  const defaultArgs = flags(one(rendered.get('default')!, 'DaemonSet', 'agent').spec.template.spec.containers[0].args);
  t.notOk(defaultArgs.has('--label-node-ready') || defaultArgs.has('--prune-after'), 'defaults leave the agent its own defaults');
  t.same(pod.nodeSelector, fullValues.agent.nodeSelector);
  t.same(pod.affinity, fullValues.agent.affinity);
  t.same(pod.tolerations, fullValues.agent.tolerations);
  t.equal(pod.priorityClassName, fullValues.agent.priorityClassName);
});

t.test('RBAC: the agent gets exactly the rules of docs/rbac.yaml, no wildcard', async (t) => {
  const documented = parseYaml(readFileSync(join(ROOT, 'docs/rbac.yaml'), 'utf8')) as { rules: unknown[] };
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
    const read = secret.stringData['read-token'] as string;
    const publish = secret.stringData['publish-token'] as string;
    t.equal(secret.stringData.tokens, `publish:${publish}\nread:${read}\n`, `${name}: the server's token file`);
    t.not(read, publish, `${name}: two distinct tokens`);
    if (name !== 'full') t.ok(read.length >= 32 && publish.length >= 32, `${name}: generated tokens are long`);
    const serverPod = one(docs, 'Deployment', 'server').spec.template.spec;
    const agentPod = one(docs, 'DaemonSet', 'agent').spec.template.spec;
    const key = (pod: { volumes: { name: string; secret?: { secretName: string; items: { key: string }[] } }[] }) => pod.volumes.find((volume) => volume.secret)!.secret!;
    t.equal(key(serverPod).secretName, secret.metadata.name);
    t.same(key(serverPod).items.map((item) => item.key), ['tokens']);
    t.same(key(agentPod).items.map((item) => item.key), ['read-token'], `${name}: agents get the read token only`);
  }
  const full = one(rendered.get('full')!, 'Secret');
  t.equal(full.stringData['publish-token'], fullValues.auth.publishToken);
});

t.test('every flag the templates, the example and the docs pass is a flag of that command', async (t) => {
  // `codesync <command> --help` of every command involved, in parallel, without the loader hooks
  // the test runner adds to NODE_OPTIONS of its children (they make each start take seconds).
  const helpText = new Map<string, string>();
  const loadHelp = (commands: string[]) =>
    Promise.all(
      [...new Set(commands)].filter((command) => !helpText.has(command)).map(async (command) => {
        helpText.set(command, (await run('env', ['-u', 'NODE_OPTIONS', process.execPath, CLI, ...command.split(' '), '--help'])).stdout);
      }),
    );
  const help = (command: string) => helpText.get(command)!;

  const containers = [...rendered.values()].flat().concat(exampleManifests()).flatMap(podContainers).filter((c) => /codesync/.test(c.image));
  // The commands NOTES.txt, docs/install.md and the example's README tell an operator to run.
  const docs = ['charts/codesync/templates/NOTES.txt', 'docs/install.md', 'charts/codesync/examples/php-nginx/README.md'];
  const lines = docs.flatMap((file) => readFileSync(join(ROOT, file), 'utf8').match(/^\s*codesync [^\n]+/gm) ?? []);
  const documented = lines.map((line) => line.trim().replace(/\s+#.*$/, '').split(/\s+/).slice(1));
  await loadHelp([...containers.map((c) => c.args![0]!), ...documented.map((words) => words[0]!)]);
  // A command group (`apps create`): its subcommands are listed under "Commands:" in its help.
  const commandOf = (words: string[]) =>
    words[1] && new RegExp(`^\\s+${words[1]}\\b`, 'm').test(help(words[0]!).split('Commands:')[1] ?? '') ? `${words[0]} ${words[1]}` : words[0]!;
  await loadHelp(documented.map(commandOf));

  let checked = 0;
  for (const container of containers) {
    const [command, ...rest] = container.args as string[];
    const known = new Set(help(command!).match(/--[a-z][a-z-]*/g));
    for (const arg of rest) {
      if (arg === '--') break; // what follows is the reload command's own argv
      if (!arg.startsWith('--')) continue;
      checked += 1;
      t.ok(known.has(arg.split('=')[0]!), `codesync ${command} ${arg.split('=')[0]} exists`);
    }
  }
  t.ok(checked >= 20, `${checked} flags checked`);

  t.ok(lines.length >= 6, `${lines.length} documented codesync command lines`);
  for (const words of documented) {
    const command = commandOf(words);
    const known = new Set(help(command).match(/--[a-z][a-z-]*/g));
    for (const word of words.filter((w) => w.startsWith('--'))) t.ok(known.has(word.split('=')[0]!), `documented: codesync ${command} ${word.split('=')[0]}`);
  }
});

t.test('metrics: ServiceMonitors name the jobs the rules use; the PrometheusRule is the rules file; the dashboard ConfigMap is the dashboard', async (t) => {
  const full = rendered.get('full')!;
  const rules = parseYaml(readFileSync(join(CHART, 'files/codesync.rules.yaml'), 'utf8')) as { groups: unknown };
  t.same(one(full, 'PrometheusRule').spec.groups, rules.groups, 'PrometheusRule renders the groups of files/codesync.rules.yaml');
  for (const monitor of find(full, 'ServiceMonitor')) {
    const component = monitor.metadata.labels!['app.kubernetes.io/component']!;
    const service = one(full, 'Service', component);
    t.equal(service.metadata.labels![monitor.spec.jobLabel], `codesync-${component}`, `${component}: job="codesync-${component}"`);
    t.same(monitor.spec.selector.matchLabels, Object.fromEntries(Object.entries(service.spec.selector)), `${component}: selects the Service`);
    t.equal(monitor.spec.endpoints[0].port, service.spec.ports[0].name);
    t.equal(monitor.metadata.labels!.release, 'prometheus');
  }
  const dashboard = find(full, 'ConfigMap').find((map) => map.metadata.labels!.grafana_dashboard)!;
  t.equal(dashboard.metadata.labels!.grafana_dashboard, '1');
  t.same(JSON.parse(dashboard.data!['codesync.json' as keyof typeof dashboard.data] as string), JSON.parse(readFileSync(join(CHART, 'files/dashboard.json'), 'utf8')));
});

t.test('values.yaml documents every value, and the chart README lists exactly those', async (t) => {
  const { documented, undocumented } = valuesDoc();
  t.same(undocumented, [], 'every value has a `# --` comment, itself or on a parent');
  const readme = readFileSync(join(CHART, 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| `([a-zA-Z0-9_.]+)` \|/gm)].map((match) => match[1]!);
  t.same([...rows].sort(), [...documented].sort(), 'README values table rows = documented values');
});

t.test('server TLS: the Secret\'s pair is --tls-cert/--tls-key, agents get its CA certificate only', async (t) => {
  const full = rendered.get('full')!;
  const serverPod = one(full, 'Deployment', 'server').spec.template.spec;
  const args = flags(serverPod.containers[0].args);
  const tlsMount = serverPod.containers[0].volumeMounts.find((mount: { name: string }) => mount.name === 'tls').mountPath;
  t.equal(args.get('--tls-cert'), `${tlsMount}/tls.crt`);
  t.equal(args.get('--tls-key'), `${tlsMount}/tls.key`);
  const tlsVolume = serverPod.volumes.find((volume: { name: string }) => volume.name === 'tls').secret;
  t.equal(tlsVolume.secretName, fullValues.server.tls.secretName);
  const agentPod = one(full, 'DaemonSet', 'agent').spec.template.spec;
  const ca = agentPod.volumes.find((volume: { name: string }) => volume.name === 'ca').secret;
  t.equal(ca.secretName, fullValues.server.tls.secretName, 'by default the CA comes from the server\'s TLS Secret');
  t.same(ca.items, [{ key: 'ca.crt', path: 'ca.crt' }], 'the agent mounts the CA certificate, never the private key');
  const caMount = agentPod.containers[0].volumeMounts.find((mount: { name: string }) => mount.name === 'ca').mountPath;
  t.equal(flags(agentPod.containers[0].args).get('--ca-file'), `${caMount}/ca.crt`);
  for (const name of ['default', 'minimal'] as const) {
    const plain = flags(one(rendered.get(name)!, 'Deployment', 'server').spec.template.spec.containers[0].args);
    t.notOk(plain.has('--tls-cert') || plain.has('--tls-key'), `${name}: plain http`);
    t.notOk(flags(one(rendered.get(name)!, 'DaemonSet', 'agent').spec.template.spec.containers[0].args).has('--ca-file'), `${name}: no --ca-file`);
  }
});

t.test('cluster-scoped names carry release and namespace; the node-label policy is docs/node-label-policy.yaml for this ServiceAccount', async (t) => {
  const other = parseManifests(await helm(['template', 'codesync', CHART, '--namespace', 'staging', ...VALUES.full], home));
  const clusterScoped = (docs: K8sObject[]) => docs.filter((doc) => /^(ClusterRole|ClusterRoleBinding|ValidatingAdmissionPolicy|ValidatingAdmissionPolicyBinding)$/.test(doc.kind));
  const names = (docs: K8sObject[]) => clusterScoped(docs).map((doc) => `${doc.kind}/${doc.metadata.name}`);
  t.equal(names(other).length, 4);
  for (const name of names(other)) t.notOk(names(rendered.get('full')!).includes(name), `${name}: not shared with the same release in another namespace`);
  t.equal(one(other, 'ClusterRoleBinding').subjects[0].namespace, 'staging');
  t.notOk(find(rendered.get('default')!, 'ValidatingAdmissionPolicy').length, 'the policy is opt-in (Kubernetes 1.30+)');

  const documented = parseManifests(readFileSync(join(ROOT, 'docs/node-label-policy.yaml'), 'utf8'));
  const full = rendered.get('full')!;
  const policy = one(full, 'ValidatingAdmissionPolicy');
  const account = one(full, 'ServiceAccount', 'agent').metadata.name;
  const expected = structuredClone(one(documented, 'ValidatingAdmissionPolicy').spec);
  expected.matchConditions[0].expression = `request.userInfo.username == 'system:serviceaccount:codesync:${account}'`;
  t.same(policy.spec, expected, 'the rendered policy is the documented one, for this release\'s agent');
  const binding = one(full, 'ValidatingAdmissionPolicyBinding');
  t.equal(binding.spec.policyName, policy.metadata.name);
  t.same(binding.spec.validationActions, one(documented, 'ValidatingAdmissionPolicyBinding').spec.validationActions);
});

t.test('values that set a flag agree with its option table: the flag exists, the default means the flag\'s default', async (t) => {
  const { texts, defaults } = valuesDoc();
  let checked = 0;
  for (const [path, text] of texts) {
    const lead = /^`(--[a-z-]+(?:`\/`--[a-z-]+)*)[^`]*`/.exec(text);
    if (!lead) continue;
    const command = path.split('.')[0]!;
    const table = optionTables[command]!;
    t.ok(table, `${path}: ${command} has an option table`);
    const flagNames = lead[1]!.split('`/`');
    for (const flag of flagNames) {
      const spec = Object.values(table).find((candidate) => `--${longName(candidate)}` === flag);
      t.ok(spec, `${path}: ${flag} is a flag of codesync ${command}`);
      checked += 1;
      const value = defaults.get(path);
      // Only `--flag` alone maps the value to the flag (`--listen 0.0.0.0:<port>` builds it); "" keeps the flag's own default.
      if (!spec || flagNames.length > 1 || lead[0] !== `\`${flag}\`` || value === '' || value === undefined || typeof value === 'object') continue;
      if (typeof value === 'boolean') t.equal(value, spec.default ?? false, `${path}: ${value} is ${flag}'s default`);
      else if (spec.default !== undefined && spec.parse) t.same(spec.parse(String(value), undefined as never), spec.default, `${path}: ${JSON.stringify(value)} means ${flag}'s default (${spec.defaultText ?? JSON.stringify(spec.default)})`);
    }
  }
  t.ok(checked >= 15, `${checked} value flags checked`);
  const readme = readFileSync(join(CHART, 'README.md'), 'utf8');
  const rows = new Map([...readme.matchAll(/^\| `([a-zA-Z0-9_.]+)` \| [^|]* \| (.*) \|$/gm)].map((match) => [match[1]!, match[2]!]));
  for (const [path, text] of texts) t.equal(rows.get(path), text, `${path}: the README row says what values.yaml says`);
});

function podContainers(doc: K8sObject): { image: string; args?: string[] }[] {
  const pod = doc.spec?.template?.spec ?? (doc.kind === 'Pod' ? doc.spec : undefined);
  return pod ? [...(pod.initContainers ?? []), ...pod.containers] : [];
}

function exampleManifests(): K8sObject[] {
  const dir = join(CHART, 'examples/php-nginx');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .flatMap((file) => parseManifests(readFileSync(join(dir, file), 'utf8')));
}

/** Paths the server answers without a token, read from its health routes. */
function serverRoutes(): string[] {
  const source = readFileSync(join(ROOT, 'server/routes/health.ts'), 'utf8');
  return [...source.matchAll(/app\.get\('(\/[a-z]+)'/g)].map((match) => match[1]!);
}

/** Paths of the agent's own HTTP listener. */
function agentRoutes(): string[] {
  const source = readFileSync(join(ROOT, 'agent/observability/http-listener.ts'), 'utf8');
  return [...source.matchAll(/path === '(\/[a-z]+)'/g)].map((match) => match[1]!);
}

/**
 * Value paths with a `# --` doc comment in values.yaml (the helm-docs convention), and leaf
 * values covered neither by their own nor by a parent's. Read line by line: the chart's
 * values.yaml uses block maps, flow collections and block lists only.
 */
function valuesDoc(): { documented: string[]; undocumented: string[]; texts: Map<string, string>; defaults: Map<string, unknown> } {
  const keys: { path: string; doc: boolean; covered: boolean }[] = [];
  const stack: { indent: number; key: string; doc: boolean }[] = [];
  const texts = new Map<string, string>();
  let pendingDoc = false;
  let docText: string[] = [];
  for (const line of readFileSync(join(CHART, 'values.yaml'), 'utf8').split('\n')) {
    if (/^\s*#/.test(line)) {
      const start = /^\s*# -- (.*)$/.exec(line);
      if (start) {
        pendingDoc = true;
        docText = [start[1]!];
      } else if (pendingDoc) docText.push(line.replace(/^\s*#\s?/, ''));
      continue;
    }
    const match = /^(\s*)([A-Za-z0-9_]+):/.exec(line);
    if (!match) {
      pendingDoc = false;
      continue;
    }
    const indent = match[1]!.length;
    while (stack.length > 0 && stack.at(-1)!.indent >= indent) stack.pop();
    const path = [...stack.map((entry) => entry.key), match[2]!].join('.');
    keys.push({ path, doc: pendingDoc, covered: stack.some((entry) => entry.doc) });
    if (pendingDoc) texts.set(path, docText.join(' ').trim());
    stack.push({ indent, key: match[2]!, doc: pendingDoc });
    pendingDoc = false;
  }
  const values = parseYaml(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as Record<string, unknown>;
  const defaults = new Map([...texts.keys()].map((path) => [path, path.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], values)]));
  const isLeaf = (path: string) => !keys.some((other) => other.path.startsWith(`${path}.`));
  return {
    documented: keys.filter((key) => key.doc).map((key) => key.path),
    undocumented: keys.filter((key) => !key.doc && !key.covered && isLeaf(key.path)).map((key) => key.path),
    texts,
    defaults,
  };
}
