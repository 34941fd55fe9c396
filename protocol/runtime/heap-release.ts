import { getHeapSpaceStatistics, getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { trimMalloc } from './malloc-trim.js';

/** Heap growth past the last collection's live size before a full collection is worth its ~10-50 ms. */
const SLACK_BYTES = 4 * 1024 * 1024;

/** RSS growth past the last release before asking the allocator to give back what it holds free. */
const RSS_SLACK_BYTES = 8 * 1024 * 1024;

/**
 * What is gauged: the heap in use, or V8's old space alone, for garbage that lives long enough to
 * be promoted (a cold publish's per-blob state until its batch commits), which the young
 * generation's 0-16 MiB of churn would hide.
 */
type HeapGauge = 'heap' | 'oldSpace';

/** Which growth makes a collection worth it, and how much of it. */
interface HeapReleaseOptions {
  /** What is gauged (default 'heap'). */
  gauge?: HeapGauge;
  /** Growth of the gauge past what the last collection left before the next one (default SLACK_BYTES). */
  slackBytes?: number;
}

let collect: (() => void) | null | undefined;

/**
 * Gives back the heap a burst of work grew (a cold sync, a cold publish): it leaves tens of MB of
 * V8 pages that hold only garbage, and Buffers only that garbage points at, and an idle process
 * allocates too little for V8 to collect them on its own. Runs a full collection when the heap in
 * use (or the old space: HeapGauge) has grown by more than its slack past what the last one left
 * live, so a steady stream of small changes never pays it. (Measured on the heap in use, not the
 * heap V8 holds: that stays at its high-water mark after a collection, so a collection in the
 * middle of a burst would hide the garbage of the rest of it.) The collector is reached without
 * `--expose-gc` on the command line: the flag set at run time exposes `gc` to contexts created
 * after it. The buffers that frees, and any burst of native allocations (socket reads are 64 KiB
 * each), stay in the C allocator's arena until it is trimmed (malloc-trim.ts): that happens after
 * a collection, or when RSS grew by more than RSS_SLACK_BYTES without the heap growing (a sync of
 * few large files).
 */
export class HeapRelease {
  private readonly gauge: HeapGauge;
  private readonly slackBytes: number;
  private baseline: number;
  private rssBaseline = process.memoryUsage.rss();
  private timer: NodeJS.Timeout | undefined;

  constructor(options: HeapReleaseOptions = {}) {
    this.gauge = options.gauge ?? 'heap';
    this.slackBytes = options.slackBytes ?? SLACK_BYTES;
    this.baseline = this.measure();
  }

  /**
   * `maybeRelease` once `ms` have passed since the last call: in a lull after a burst, never
   * between its steps. The timer keeps no process alive.
   */
  releaseAfter(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.maybeRelease(), ms);
    this.timer.unref();
  }

  /** Drops a release `releaseAfter` planned. */
  cancel(): void {
    clearTimeout(this.timer);
  }

  /**
   * Collects when the heap in use outgrew the last baseline; returns true when it did. `trim`
   * false leaves the allocator's free memory where it is: in the middle of a burst, whose next
   * reads would fault the trimmed pages back in (a cold sync's fetch; its settle trims).
   */
  maybeRelease(trim = true): boolean {
    const collected = this.maybeCollect();
    if (!trim) return collected;
    if (collected || process.memoryUsage.rss() - this.rssBaseline > RSS_SLACK_BYTES) {
      trimMalloc();
      this.rssBaseline = process.memoryUsage.rss();
    }
    return collected;
  }

  /**
   * For the moment all work is over until something new arrives (the agent's background work
   * after a switch settled): one full collection whatever the heap's growth, then a malloc trim.
   * V8 keeps the pages and the garbage a burst left (and the Buffers only that garbage points at)
   * until its memory reducer runs, seconds to minutes later or never in a process that allocates
   * nothing; a worker thread's heap and a sync's buffers are freed into arenas glibc keeps. Costs
   * one collection of the heap in use (~5-15 ms for an agent holding 10 000 files) per settle.
   * Returns true when it collected.
   */
  settle(): boolean {
    const collected = this.collect();
    trimMalloc();
    this.rssBaseline = process.memoryUsage.rss();
    return collected;
  }

  private maybeCollect(): boolean {
    const used = this.measure();
    if (used - this.baseline > this.slackBytes) return this.collect();
    // Old space shrinks only by a full collection: V8 ran one of its own, and what it left is the
    // new baseline. The heap in use also falls with every young collection, so it keeps its own.
    if (this.gauge === 'oldSpace') this.baseline = Math.min(this.baseline, used);
    return false;
  }

  private measure(): number {
    if (this.gauge === 'heap') return getHeapStatistics().used_heap_size;
    return getHeapSpaceStatistics().find((space) => space.space_name === 'old_space')?.space_used_size ?? 0;
  }

  private collect(): boolean {
    const gc = collector();
    if (!gc) return false;
    gc();
    this.baseline = this.measure();
    return true;
  }
}

function collector(): (() => void) | null {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  return collect;
}
