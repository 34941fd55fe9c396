/**
 * The pause before a sync's background work (the full manifest written, old trees recycled, the
 * cache pruned): it ends after `ms`, or at once when the next sync needs that work done, or when
 * `signal` aborts. Nodes that switch together (a fleet sharing a release, or agents sharing a
 * machine) otherwise spend the moments right after their own switch on work that can wait, while
 * the others are still on their critical path.
 */
export class BackgroundPause {
    /** Settles when the pause is over; never rejects. */
    over;
    end = () => { };
    timer;
    constructor(ms, signal) {
        this.over = new Promise((resolve) => {
            this.end = resolve;
        });
        if (ms <= 0 || signal?.aborted) {
            this.end();
            return;
        }
        const onAbort = () => this.now();
        this.timer = setTimeout(() => this.now(), ms);
        signal?.addEventListener('abort', onAbort, { once: true });
        void this.over.then(() => signal?.removeEventListener('abort', onAbort));
    }
    /** Ends the pause now. */
    now() {
        clearTimeout(this.timer);
        this.end();
    }
}
//# sourceMappingURL=background-pause.js.map