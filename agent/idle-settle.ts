import type { HeapRelease } from '../protocol/runtime/heap-release.js';

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

export interface IdleSettleOptions {
  heap: HeapRelease;
  /** True while a sync or its background work runs: a put-off collection waits for the next settle then. Default: never busy. */
  busy?: () => boolean;
  /** Milliseconds of quiet before a put-off collection runs (default IDLE_COLLECT_MS). */
  idleMs?: number;
  /** Told of each full collection run and its milliseconds (default: nothing). */
  onCollected?: (ms: number) => void;
}

/**
 * The end of the agent's background work (cache-pruner.ts): a full collection and a malloc trim
 * run at once only when the memory in use or the RSS grew past its slack since the last
 * collection (always the first time: after the cold sync, where idle RSS is read), otherwise
 * once the agent has been quiet for `idleMs`. A full collection of an agent holding
 * 10 000 files costs ~20 ms of CPU, and the next sync ran ~5 ms slower after it (measured; not
 * so after a trim alone); one after every sync was most of the agent's CPU for
 * a one-file change (same-run A/B, 3+3 agents, 10 rounds 5 s apart: CPU per round 60 -> 30 ms,
 * the switch's 19.5 -> 14 ms without it). Releases seconds apart now pay it once, a quiet node
 * still gives its memory back.
 */
export class IdleSettle {
  private readonly options: IdleSettleOptions;
  /** heapUsed + external and RSS right after the last full collection; undefined before the first. */
  private baseline: { inUse: number; rss: number } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: IdleSettleOptions) {
    this.options = options;
  }

  /** Trims, and collects now or once quiet; returns true when it collected now. */
  settle(): boolean {
    clearTimeout(this.timer);
    this.timer = undefined;
    const now = process.memoryUsage();
    const grown = this.baseline === undefined || now.heapUsed + now.external - this.baseline.inUse > SETTLE_SLACK_BYTES || now.rss - this.baseline.rss > SETTLE_RSS_SLACK_BYTES;
    if (grown) return this.collect();
    // Nor a trim: the pages it gave back were the next sync's to fault in again (its manifest
    // copies, ~1 MiB each at 10 000 files), on its critical path. The put-off collection trims.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.options.busy?.()) this.collect();
    }, this.options.idleMs ?? IDLE_COLLECT_MS);
    this.timer.unref();
    return false;
  }

  /** Drops a collection put off for quiet (at stop). */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private collect(): boolean {
    const started = performance.now();
    const collected = this.options.heap.settle();
    const after = process.memoryUsage();
    this.baseline = { inUse: after.heapUsed + after.external, rss: after.rss };
    if (collected) this.options.onCollected?.(Math.round(performance.now() - started));
    return collected;
  }
}
