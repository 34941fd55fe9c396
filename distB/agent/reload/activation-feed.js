import { EventEmitter } from 'node:events';
/** Pods per app whose acks are kept; a pod's newer ack replaces its older one. */
const MAX_ACKS_PER_APP = 1000;
/**
 * The seam between the sync engine and whatever tells pods to reload (the node-local socket,
 * reload URLs): the engine calls `activate` after each switch; listeners get `'activated'`.
 * Pods' acks come back through `recordAck` and travel to the server in the node report.
 */
export class ActivationFeed extends EventEmitter {
    held = new Map();
    acks = new Map();
    /** The app as currently switched in, or undefined while the node does not hold it. */
    current(app) {
        return this.held.get(app);
    }
    /** Every app the node holds. */
    apps() {
        return [...this.held.values()];
    }
    /** Called by the engine after `current` points at a new complete tree (and at start-up). */
    activate(activated) {
        this.held.set(activated.app, activated);
        this.emit('activated', activated);
    }
    /** The node no longer holds the app (its files were removed). */
    forget(app) {
        this.held.delete(app);
        this.acks.delete(app);
    }
    /** Records a pod's reload result; acks for older seqs of the app are dropped. */
    recordAck(app, ack) {
        let byPod = this.acks.get(app);
        if (!byPod)
            this.acks.set(app, (byPod = new Map()));
        const recorded = { ...ack, at: new Date().toISOString() };
        byPod.delete(ack.pod);
        byPod.set(ack.pod, recorded);
        if (byPod.size > MAX_ACKS_PER_APP)
            byPod.delete(byPod.keys().next().value);
        this.emit('ack', app, recorded);
    }
    /** Acks for the app's current seq, for the node report. */
    acksFor(app) {
        const seq = this.held.get(app)?.seq;
        return [...(this.acks.get(app)?.values() ?? [])].filter((ack) => ack.seq === seq);
    }
}
//# sourceMappingURL=activation-feed.js.map