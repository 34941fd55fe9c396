import { EventRecorder } from './event-recorder.js';
import { connectKube } from './kube-client.js';
import { kubeApiErrors } from './kube-metrics.js';
import { KubeNodeLabels } from './kube-node-labels.js';
import { NodeReadyLabels } from './node-ready-labels.js';
import { PodReloadTargets } from './pod-reload-targets.js';
/**
 * The agent's side of a Kubernetes cluster: node labels from the Node watch, reload targets from
 * the pods on the node, Events on the Node and Pods, and `--label-node-ready` labels. Built before
 * the Agent (which takes `labels`), attached to it before it starts.
 */
export class ClusterIntegration {
    labels;
    pods;
    client;
    options;
    log;
    errors = kubeApiErrors();
    static async connect(options) {
        const client = await connectKube(options.kubeconfig);
        options.log.info({ server: client.server, node: options.node, kubeconfig: options.kubeconfig ?? null }, 'talking to the Kubernetes API');
        return new ClusterIntegration(client, options);
    }
    constructor(client, options) {
        this.client = client;
        this.options = options;
        this.log = options.log.child({ component: 'kube' });
        const common = { client, node: options.node, log: this.log, watchTimeoutSeconds: options.watchTimeoutSeconds, backoffBaseMs: options.backoffBaseMs };
        this.labels = new KubeNodeLabels({ ...common, failed: (call) => this.failed(call) });
        this.pods = new PodReloadTargets({ ...common, failed: (call) => this.failed(call) });
    }
    /** Wires Events and node-ready labels to the agent and starts the pod watch; call before `agent.start()`. */
    attach(agent, registry, signal) {
        registry.registerMetric(this.errors);
        const { client } = this;
        const { node } = this.options;
        const events = new EventRecorder({ client, node, log: this.log, failed: () => this.failed('event'), minIntervalMs: this.options.eventIntervalMs });
        const nodeObject = () => ({ kind: 'Node', name: node, uid: this.labels.node()?.metadata?.uid });
        const failing = new Set();
        agent.events.on('syncFailed', (app, message) => {
            failing.add(app);
            events.record({ object: nodeObject(), type: 'Warning', reason: 'SyncFailed', about: app, message: `${app}: ${message} (retrying; the last good release stays current)` });
        });
        agent.feed.on('activated', (activated) => {
            if (!failing.delete(activated.app))
                return;
            events.reset(nodeObject(), 'SyncFailed', activated.app);
            events.record({ object: nodeObject(), type: 'Normal', reason: 'SyncRecovered', about: activated.app, message: `${activated.app}: release ${activated.seq} is current` });
        });
        agent.feed.on('ack', (app, ack) => {
            const pod = ack.ok ? undefined : this.pods.byName(ack.pod);
            if (!pod)
                return;
            events.record({
                object: { kind: 'Pod', name: pod.pod, namespace: pod.namespace, uid: pod.uid },
                type: 'Warning',
                reason: 'ReloadFailed',
                about: app,
                message: `${app} release ${ack.seq}: POST ${pod.url} failed: ${ack.message ?? 'no answer'}`,
            });
        });
        signal.addEventListener('abort', () => events.stop(), { once: true });
        if (this.options.labelNodeReady) {
            const ready = new NodeReadyLabels({ client, node, log: this.log, failed: () => this.failed('patch_node'), labels: () => (this.labels.known() ? this.labels.current() : undefined), layout: agent.layout });
            agent.feed.on('activated', () => ready.reconcile());
            agent.events.on('appRemoved', () => ready.reconcile());
            // The first list of the Node (and every change) reconciles against what is on disk.
            this.labels.on('change', () => ready.nodeChanged());
            signal.addEventListener('abort', () => ready.stop(), { once: true });
        }
        this.pods.start(signal);
    }
    failed(call) {
        this.errors.inc({ call });
    }
}
//# sourceMappingURL=cluster-integration.js.map