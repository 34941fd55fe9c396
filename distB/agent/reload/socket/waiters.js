/**
 * Long-polls waiting for an app to arrive. One feed listener serves them all, however many init
 * containers wait on the node at once.
 */
export class AppWaiters {
    byApp = new Map();
    /** Calls `waiter` on the app's next activation; returns the function that cancels it. */
    add(app, waiter) {
        let waiters = this.byApp.get(app);
        if (!waiters)
            this.byApp.set(app, (waiters = new Set()));
        waiters.add(waiter);
        return () => {
            waiters.delete(waiter);
            if (waiters.size === 0 && this.byApp.get(app) === waiters)
                this.byApp.delete(app);
        };
    }
    notify(activated) {
        const waiters = this.byApp.get(activated.app);
        if (!waiters)
            return;
        this.byApp.delete(activated.app);
        for (const waiter of waiters)
            waiter(activated);
    }
    /** Answers every waiter with undefined: the agent is stopping. */
    closeAll() {
        const all = [...this.byApp.values()];
        this.byApp.clear();
        for (const waiters of all)
            for (const waiter of waiters)
                waiter(undefined);
    }
    /** Waiters currently registered, across apps. */
    get size() {
        let n = 0;
        for (const waiters of this.byApp.values())
            n += waiters.size;
        return n;
    }
}
//# sourceMappingURL=waiters.js.map