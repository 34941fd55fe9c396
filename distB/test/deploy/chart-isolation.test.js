import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHART, helm, parseManifests, ROOT } from './helm.js';
import { find, flags, fullValues, one, renderChart, VALUES } from './rendered-chart.js';
// What keeps one install apart from others and from what it must not see: server TLS (agents get
// the CA only), cluster-scoped names per release and namespace, the node-label admission policy.
const { rendered, home } = renderChart(t);
t.test('server TLS: the Secret\'s pair is --tls-cert/--tls-key, agents get its CA certificate only', async (t) => {
    const full = rendered.get('full');
    const serverPod = one(full, 'Deployment', 'server').spec.template.spec;
    const args = flags(serverPod.containers[0].args);
    const tlsMount = serverPod.containers[0].volumeMounts.find((mount) => mount.name === 'tls').mountPath;
    t.equal(args.get('--tls-cert'), `${tlsMount}/tls.crt`);
    t.equal(args.get('--tls-key'), `${tlsMount}/tls.key`);
    const tlsVolume = serverPod.volumes.find((volume) => volume.name === 'tls').secret;
    t.equal(tlsVolume.secretName, fullValues.server.tls.secretName);
    const agentPod = one(full, 'DaemonSet', 'agent').spec.template.spec;
    const ca = agentPod.volumes.find((volume) => volume.name === 'ca').secret;
    t.equal(ca.secretName, fullValues.server.tls.secretName, 'by default the CA comes from the server\'s TLS Secret');
    t.same(ca.items, [{ key: 'ca.crt', path: 'ca.crt' }], 'the agent mounts the CA certificate, never the private key');
    const caMount = agentPod.containers[0].volumeMounts.find((mount) => mount.name === 'ca').mountPath;
    t.equal(flags(agentPod.containers[0].args).get('--ca-file'), `${caMount}/ca.crt`);
    for (const name of ['default', 'minimal']) {
        const plain = flags(one(rendered.get(name), 'Deployment', 'server').spec.template.spec.containers[0].args);
        t.notOk(plain.has('--tls-cert') || plain.has('--tls-key'), `${name}: plain http`);
        t.notOk(flags(one(rendered.get(name), 'DaemonSet', 'agent').spec.template.spec.containers[0].args).has('--ca-file'), `${name}: no --ca-file`);
    }
});
t.test('cluster-scoped names carry release and namespace; the node-label policy is docs/node-label-policy.yaml for this ServiceAccount', async (t) => {
    const other = parseManifests(await helm(['template', 'codesync', CHART, '--namespace', 'staging', ...VALUES.full], home));
    const clusterScoped = (docs) => docs.filter((doc) => /^(ClusterRole|ClusterRoleBinding|ValidatingAdmissionPolicy|ValidatingAdmissionPolicyBinding)$/.test(doc.kind));
    const names = (docs) => clusterScoped(docs).map((doc) => `${doc.kind}/${doc.metadata.name}`);
    t.equal(names(other).length, 4);
    for (const name of names(other))
        t.notOk(names(rendered.get('full')).includes(name), `${name}: not shared with the same release in another namespace`);
    t.equal(one(other, 'ClusterRoleBinding').subjects[0].namespace, 'staging');
    t.notOk(find(rendered.get('default'), 'ValidatingAdmissionPolicy').length, 'the policy is opt-in (Kubernetes 1.30+)');
    const documented = parseManifests(readFileSync(join(ROOT, 'docs/node-label-policy.yaml'), 'utf8'));
    const full = rendered.get('full');
    const policy = one(full, 'ValidatingAdmissionPolicy');
    const account = one(full, 'ServiceAccount', 'agent').metadata.name;
    const expected = structuredClone(one(documented, 'ValidatingAdmissionPolicy').spec);
    expected.matchConditions[0].expression = `request.userInfo.username == 'system:serviceaccount:codesync:${account}'`;
    t.same(policy.spec, expected, 'the rendered policy is the documented one, for this release\'s agent');
    const binding = one(full, 'ValidatingAdmissionPolicyBinding');
    t.equal(binding.spec.policyName, policy.metadata.name);
    t.same(binding.spec.validationActions, one(documented, 'ValidatingAdmissionPolicyBinding').spec.validationActions);
});
//# sourceMappingURL=chart-isolation.test.js.map