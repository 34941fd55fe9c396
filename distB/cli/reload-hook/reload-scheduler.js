/**
 * Decides when to reload: debounced, never two reloads at once, newest release wins, and never
 * twice for one seq. The first state the hook sees is what the pod started with, so it is taken as
 * done (unless `reloadOnStart`); after a reconnect, the catch-up event runs a reload only when the
 * seq moved while the hook was away.
 */
export class ReloadScheduler {
    options;
    /** Seq the pod was last reloaded onto (or started with). */
    handledSeq;
    runningSeq;
    next;
    timer;
    running;
    constructor(options) {
        this.options = options;
    }
    offer(event) {
        if (this.handledSeq === undefined && this.runningSeq === undefined && event.initial && !this.options.reloadOnStart) {
            this.handledSeq = event.seq;
            return;
        }
        const newest = this.next?.seq ?? this.runningSeq ?? this.handledSeq;
        if (event.seq === newest)
            return;
        this.next = event;
        clearTimeout(this.timer);
        this.timer = undefined;
        if (this.options.debounceMs === 0)
            return this.startNext();
        this.timer = setTimeout(() => {
            this.timer = undefined;
            this.startNext();
        }, this.options.debounceMs);
    }
    /** Resolves when no reload is running (pending debounced ones are dropped). */
    async stop() {
        clearTimeout(this.timer);
        this.next = undefined;
        await this.running;
    }
    startNext() {
        const event = this.next;
        if (!event || this.running)
            return;
        this.next = undefined;
        this.runningSeq = event.seq;
        this.options.onStart(event);
        const started = performance.now();
        this.running = this.options.action(event).then((outcome) => {
            this.handledSeq = event.seq;
            this.runningSeq = undefined;
            this.running = undefined;
            this.options.onDone(event, outcome, performance.now() - started);
            // A switch that landed during the reload already waited out its debounce.
            if (!this.timer)
                this.startNext();
        });
    }
}
//# sourceMappingURL=reload-scheduler.js.map