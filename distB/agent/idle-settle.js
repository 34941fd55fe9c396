import { trimMalloc } from '../protocol/runtime/malloc-trim.js';
/**
 * Growth of the memory in use (V8 heap and the buffers outside it) since the last full
 * collection past which a settle collects at once. V8's own collections keep a stream of
 * one-file syncs of a 10 000-file app below it (~1.5 MiB of garbage each).
 */
const SETTLE_SLACK_BYTES = 4 * 1024 * 1024;
/** RSS growth since the last full collection past which a settle collects at once (a clone thread's heap, a cold sync's reads). */
const SETTLE_RSS_SLACK_BYTES = 8 * 1024 * 1024;
/** Quiet time after a settle that did not collect before the collection it put off runs. */
const IDLE_COLLECT_MS = 15_000;
/**
 * The end of the agent's background work (cache-pruner.ts): the malloc arenas are trimmed each
 * time; a full collection runs at once only when the memory in use or the RSS grew past its
 * slack since the last one (always the first time: after the cold sync, where idle RSS is read),
 * otherwise once the agent has been quiet for `idleMs`. A full collection of an agent holding
 * 10 000 files costs ~20 ms of CPU, and the next sync ran ~5 ms slower after it (measured; not
 * so after a trim alone); one after every sync was most of the agent's CPU for
 * a one-file change (same-run A/B, 3+3 agents, 10 rounds 5 s apart: CPU per round 60 -> 30 ms,
 * the switch's 19.5 -> 14 ms without it). Releases seconds apart now pay it once, a quiet node
 * still gives its memory back.
 */
export class IdleSettle {
    options;
    /** heapUsed + external and RSS right after the last full collection; undefined before the first. */
    baseline;
    timer;
    constructor(options) {
        this.options = options;
    }
    /** Trims, and collects now or once quiet; returns true when it collected now. */
    settle() {
        clearTimeout(this.timer);
        this.timer = undefined;
        const now = process.memoryUsage();
        const grown = this.baseline === undefined || now.heapUsed + now.external - this.baseline.inUse > SETTLE_SLACK_BYTES || now.rss - this.baseline.rss > SETTLE_RSS_SLACK_BYTES;
        if (grown)
            return this.collect();
        trimMalloc();
        this.timer = setTimeout(() => {
            this.timer = undefined;
            if (!this.options.busy?.())
                this.collect();
        }, this.options.idleMs ?? IDLE_COLLECT_MS);
        this.timer.unref();
        return false;
    }
    /** Drops a collection put off for quiet (at stop). */
    cancel() {
        clearTimeout(this.timer);
        this.timer = undefined;
    }
    collect() {
        const started = performance.now();
        const collected = this.options.heap.settle();
        const after = process.memoryUsage();
        this.baseline = { inUse: after.heapUsed + after.external, rss: after.rss };
        if (collected)
            this.options.onCollected?.(Math.round(performance.now() - started));
        return collected;
    }
}
//# sourceMappingURL=idle-settle.js.map