/**
 * What the node knows about each app's releases versus what it runs, for
 * `codesync_agent_sync_lag_seconds`: 0 when current, else seconds since the first release after
 * the applied seq was published. Computed when asked, so the lag keeps growing while the agent is
 * cut off from the server and learns nothing new.
 */
export class LagTracker {
    apps = new Map();
    /** Records a release the agent heard of (event or listing). */
    learned(app, seq, createdAt) {
        const state = this.state(app);
        state.latest = Math.max(state.latest, seq);
        const at = Date.parse(createdAt);
        if (seq > state.applied && Number.isFinite(at))
            state.published.set(seq, at);
    }
    /** Records the seq `current` now serves. */
    applied(app, seq) {
        const state = this.state(app);
        state.applied = seq;
        state.latest = Math.max(state.latest, seq);
        for (const known of state.published.keys())
            if (known <= seq)
                state.published.delete(known);
    }
    forget(app) {
        this.apps.delete(app);
    }
    latest(app) {
        return this.apps.get(app)?.latest;
    }
    appNames() {
        return [...this.apps.keys()];
    }
    lagSeconds(app, now = Date.now()) {
        const state = this.apps.get(app);
        if (!state || state.latest <= state.applied)
            return 0;
        let first;
        for (const seq of state.published.keys())
            if (seq > state.applied && (first === undefined || seq < first))
                first = seq;
        const at = first === undefined ? undefined : state.published.get(first);
        return at === undefined ? 0 : Math.max(0, (now - at) / 1000);
    }
    state(app) {
        let state = this.apps.get(app);
        if (!state)
            this.apps.set(app, (state = { applied: 0, latest: 0, published: new Map() }));
        return state;
    }
}
//# sourceMappingURL=lag-tracker.js.map