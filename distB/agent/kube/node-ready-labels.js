import { readdir, stat } from 'node:fs/promises';
import { isAppName } from '../../protocol/app-name.js';
import { isMissing } from '../../protocol/runtime/durable-write.js';
import { describe } from './reflector.js';
import { backoffDelay } from '../../protocol/runtime/backoff.js';
export const READY_LABEL_PREFIX = 'codesync.io/';
export const READY_VALUE = 'ready';
/**
 * `codesync.io/<app>`. App names follow protocol/app-name.ts: lowercase letters, digits, '.' and
 * '-', at most 63 characters, alphanumeric at both ends — exactly within a label key's name part
 * (63 characters of `[A-Za-z0-9._-]`, alphanumeric at both ends), so every app maps to its own
 * name unchanged and no two apps share a label.
 */
export function readyLabel(app) {
    return `${READY_LABEL_PREFIX}${app}`;
}
/**
 * `--label-node-ready`: keeps `codesync.io/<app>: ready` on the Node for exactly the apps present
 * on disk. `reconcile()` compares both and sends one JSON merge patch with every difference (a
 * label set to null is removed); it runs at start, after each change of the present apps and of
 * the Node's labels, and retries after a failure. The value is `ready`, not the seq: a seq would
 * mean one Node PATCH per node per publish. Only labels whose value is `ready` are ever removed,
 * so a `codesync.io/pool=web` label an operator set stays.
 */
export class NodeReadyLabels {
    options;
    running;
    again = false;
    failures = 0;
    retry;
    stopped = false;
    /** The labels the last patch answered with, newer than the watch's until it reports a change. */
    patched;
    constructor(options) {
        this.options = options;
    }
    /** The merge patch that brings the labels in line, or undefined when they already are. */
    async diff() {
        const labels = this.patched ?? this.options.labels();
        // Before the Node was read, a label that should go cannot be told from one that is not there.
        if (!labels)
            return undefined;
        const present = new Set((await appsPresent(this.options.layout)).map(readyLabel));
        const patch = {};
        for (const key of present)
            if (labels[key] !== READY_VALUE)
                patch[key] = READY_VALUE;
        for (const [key, value] of Object.entries(labels)) {
            if (key.startsWith(READY_LABEL_PREFIX) && value === READY_VALUE && !present.has(key))
                patch[key] = null;
        }
        return Object.keys(patch).length > 0 ? patch : undefined;
    }
    /** The watch saw the Node change: its labels are the newest again. */
    nodeChanged() {
        this.patched = undefined;
        this.reconcile();
    }
    reconcile() {
        if (this.stopped)
            return;
        if (this.running) {
            this.again = true;
            return;
        }
        this.running = this.patch().finally(() => {
            this.running = undefined;
            if (this.again) {
                this.again = false;
                this.reconcile();
            }
        });
    }
    stop() {
        this.stopped = true;
        clearTimeout(this.retry);
    }
    async patch() {
        const { client, node, log } = this.options;
        let patch;
        try {
            patch = await this.diff();
            if (!patch)
                return;
            const updated = await client.core.patchNode({ name: node, body: { metadata: { labels: patch } } }, client.mergePatch);
            this.patched = updated.metadata?.labels ?? {};
            this.failures = 0;
            log.info({ labels: patch }, 'node-ready labels patched');
        }
        catch (err) {
            this.options.failed(err);
            const delay = backoffDelay(this.failures++, this.options.retryBaseMs ?? 1000, 60_000);
            log.warn({ labels: patch, err: describe(err), retryInMs: delay }, 'could not patch node-ready labels');
            clearTimeout(this.retry);
            this.retry = setTimeout(() => this.reconcile(), delay);
            this.retry.unref();
        }
    }
}
/** Apps whose `current` resolves on disk: what the node can serve, whatever the agent has loaded yet. */
async function appsPresent(layout) {
    let names;
    try {
        names = (await readdir(layout.appsDir)).filter(isAppName);
    }
    catch (err) {
        if (isMissing(err))
            return [];
        throw err;
    }
    const present = await Promise.all(names.map((app) => stat(layout.app(app).current).then(() => true, () => false)));
    return names.filter((_, i) => present[i]);
}
//# sourceMappingURL=node-ready-labels.js.map