import { Reflector } from './reflector.js';
/** Pod annotations that make a pod a reload target. */
export const APP_ANNOTATION = 'codesync.io/app';
export const RELOAD_URL_ANNOTATION = 'codesync.io/reload-url';
/**
 * Reload targets from the pods on this node (fieldSelector `spec.nodeName`, watched): every running
 * pod with a `codesync.io/app` and a `codesync.io/reload-url` annotation, the pod IP filled in when
 * the URL leaves its host empty (`http://:8080/-/reload`). While the API is away the last known pods
 * stay targets; a pod without an IP yet (pending) is skipped until it has one.
 */
export class PodReloadTargets {
    pods = new Map();
    /** Pods per app on the node that carry `codesync.io/app`, with a reload URL or not. */
    annotated = new Map();
    options;
    constructor(options) {
        this.options = options;
    }
    targetsFor(app) {
        return [...this.pods.values()].filter((target) => target.app === app);
    }
    /** The target of an ack's pod name (`namespace/name`), for Events on that Pod. */
    byName(name) {
        for (const target of this.pods.values())
            if (target.name === name)
                return target;
        return undefined;
    }
    /** Whether any pod on the node says it runs `app` (reload URL or not): its files are in use. */
    runs(app) {
        return this.annotated.has(app);
    }
    start(signal) {
        const { client, node, log } = this.options;
        const fieldSelector = `spec.nodeName=${node}`;
        const all = new Map();
        const rebuild = () => {
            const before = [...this.pods.values()].map((target) => `${target.name} ${target.url}`).sort().join();
            this.pods.clear();
            this.annotated.clear();
            for (const pod of all.values()) {
                const app = pod.metadata?.annotations?.[APP_ANNOTATION];
                if (!app || isFinished(pod))
                    continue;
                this.annotated.set(app, (this.annotated.get(app) ?? 0) + 1);
                const target = podTarget(pod, app, log);
                if (target)
                    this.pods.set(target.uid, target);
            }
            const after = [...this.pods.values()].map((target) => `${target.name} ${target.url}`).sort().join();
            if (after !== before)
                log.info({ targets: [...this.pods.values()].map((target) => target.name).sort() }, 'pod reload targets changed');
        };
        const key = (pod) => pod.metadata?.uid ?? `${pod.metadata?.namespace}/${pod.metadata?.name}`;
        const reflector = new Reflector({
            what: 'pods',
            path: '/api/v1/pods',
            fieldSelector,
            list: () => client.core.listPodForAllNamespaces({ fieldSelector }),
            settings: this.options,
            handlers: {
                replace: (items) => {
                    all.clear();
                    for (const pod of items)
                        all.set(key(pod), pod);
                    rebuild();
                },
                upsert: (pod) => {
                    all.set(key(pod), pod);
                    rebuild();
                },
                deleted: (pod) => {
                    all.delete(key(pod));
                    rebuild();
                },
                failed: (call, err) => this.options.failed(call === 'list' ? 'list_pods' : 'watch_pods', err),
            },
        });
        void reflector.run(signal);
    }
}
function isFinished(pod) {
    return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed' || pod.metadata?.deletionTimestamp !== undefined;
}
function podTarget(pod, app, log) {
    const template = pod.metadata?.annotations?.[RELOAD_URL_ANNOTATION];
    const namespace = pod.metadata?.namespace ?? 'default';
    const name = `${namespace}/${pod.metadata?.name ?? '?'}`;
    if (!template)
        return undefined;
    const ip = pod.status?.podIP;
    const url = fillHost(template, ip);
    if (!url) {
        if (ip)
            log.warn({ pod: name, url: template }, `ignoring ${RELOAD_URL_ANNOTATION}: not an http(s) URL`);
        return undefined;
    }
    return { name, url, app, namespace, pod: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? name };
}
/** `http://:8080/x` → `http://<ip>:8080/x`; a URL with a host of its own is kept as it is. */
export function fillHost(template, ip) {
    const match = /^(https?:\/\/)(:\d+)?(\/.*)?$/.exec(template);
    if (match) {
        if (!ip)
            return undefined;
        const host = ip.includes(':') ? `[${ip}]` : ip;
        return `${match[1]}${host}${match[2] ?? ''}${match[3] ?? '/'}`;
    }
    return /^https?:\/\/[^/]/.test(template) && URL.canParse(template) ? template : undefined;
}
//# sourceMappingURL=pod-reload-targets.js.map