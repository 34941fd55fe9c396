/**
 * Since when each app the node holds has not been selected (its nodeSelector stopped matching the
 * node's labels, or the app was deleted on the server), so its files go after `--prune-after`.
 * Kept in memory: an agent restart starts the count again, which only keeps files longer.
 */
export class UnselectedApps {
    since = new Map();
    /** Records which held apps are selected right now. */
    update(held, selected, now = Date.now()) {
        const holding = new Set(held);
        for (const app of this.since.keys())
            if (!holding.has(app))
                this.since.delete(app);
        for (const app of holding) {
            if (selected(app))
                this.since.delete(app);
            else if (!this.since.has(app))
                this.since.set(app, now);
        }
    }
    isUnselected(app) {
        return this.since.has(app);
    }
    /** Apps unselected for at least `afterMs` (never, with 0). */
    due(afterMs, now = Date.now()) {
        if (afterMs <= 0)
            return [];
        return [...this.since].filter(([, since]) => now - since >= afterMs).map(([app]) => app);
    }
    forget(app) {
        this.since.delete(app);
    }
}
//# sourceMappingURL=unselected-apps.js.map