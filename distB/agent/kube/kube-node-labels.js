import { EventEmitter } from 'node:events';
import { Reflector } from './reflector.js';
/**
 * The node's labels from the Kubernetes API: a list + watch of the one Node named `node`
 * (fieldSelector `metadata.name`). Emits `change` whenever they differ from before; while the API
 * is away the last known labels stay. A deleted Node keeps its last labels too: the agent's own pod
 * goes with it, and dropping every app a moment earlier would gain nothing.
 */
export class KubeNodeLabels extends EventEmitter {
    labels = Object.freeze({});
    nodeObject;
    options;
    constructor(options) {
        super();
        this.options = options;
    }
    current() {
        return this.labels;
    }
    known() {
        return this.nodeObject !== undefined;
    }
    /** The Node as last seen, for Events (its uid) and node-ready labels. */
    node() {
        return this.nodeObject;
    }
    /**
     * Starts the watch; resolves once the labels were read, or after `firstListTimeoutMs` when the
     * API does not answer (the agent then serves what is on disk and picks labels up when it does).
     */
    async start(signal) {
        const { client, node, log } = this.options;
        const fieldSelector = `metadata.name=${node}`;
        const reflector = new Reflector({
            what: 'node',
            path: '/api/v1/nodes',
            fieldSelector,
            list: () => client.core.listNode({ fieldSelector }),
            settings: this.options,
            handlers: {
                replace: (items) => {
                    const found = items.find((item) => item.metadata?.name === node);
                    if (found)
                        this.seen(found);
                    else
                        log.error({ node }, 'no Node of this name in the cluster: check --node / NODE_NAME');
                },
                upsert: (object) => this.seen(object),
                deleted: () => log.warn({ node }, 'this Node was deleted; keeping its last labels'),
                failed: (call, err) => this.options.failed(call === 'list' ? 'list_node' : 'watch_node', err),
            },
        });
        let listed;
        const first = new Promise((resolve) => (listed = resolve));
        void reflector.run(signal, listed);
        const timeoutMs = this.options.firstListTimeoutMs ?? 10_000;
        const waited = await Promise.race([first.then(() => true), new Promise((resolve) => setTimeout(resolve, timeoutMs, false).unref())]);
        if (!waited)
            log.warn({ node, timeoutMs }, 'node labels not read yet from the Kubernetes API; going on without them until it answers');
    }
    seen(object) {
        const first = this.nodeObject === undefined;
        this.nodeObject = object;
        const next = object.metadata?.labels ?? {};
        if (!first && sameLabels(next, this.labels))
            return;
        this.labels = Object.freeze({ ...next });
        this.options.log.info({ labels: this.labels }, 'node labels changed');
        this.emit('change', this.labels);
    }
}
function sameLabels(a, b) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}
//# sourceMappingURL=kube-node-labels.js.map