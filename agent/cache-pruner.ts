import type { Logger } from 'pino';
import type { HeapRelease } from '../protocol/runtime/heap-release.js';
import { PRUNE_GRACE_MS, type ObjectCache } from './cache/object-cache.js';
import { IdleSettle } from './idle-settle.js';

export interface CachePrunerOptions {
  cache: ObjectCache;
  /** Given back once a pass is over: the pass is the last step of a sync's background work. */
  heap: HeapRelease;
  log: Logger;
  /** The agent's: no pass starts, and none is planned, once it is aborted. */
  signal: AbortSignal;
  /** Called after each pass that ran to its end, its memory given back (default: nothing). */
  onPassOver?: () => void;
  /** True while a sync or its background work runs: a collection put off for quiet waits (default: never busy). */
  busy?: () => boolean;
}

/**
 * Drops cache objects no release links (those noted as unlinked, or all after a walk was asked
 * for); one pass at a time, shared by every app. Objects still in their grace period get another
 * pass once it is over. Each pass ends a sync's background work, so the memory the sync grew is
 * given back after it.
 */
export class CachePruner {
  private readonly options: CachePrunerOptions;
  private readonly idle: IdleSettle;
  private pruning: Promise<void> | undefined;
  /** The next pass, for objects whose grace period was not over. */
  private later: NodeJS.Timeout | undefined;

  constructor(options: CachePrunerOptions) {
    this.options = options;
    this.idle = new IdleSettle({ heap: options.heap, busy: options.busy, onCollected: (ms) => options.log.debug({ heapBytes: process.memoryUsage().heapTotal, ms }, 'gave back the heap the sync grew') });
    // One listener for the pruner's life: one per planned pass piled up on the agent's signal.
    options.signal.addEventListener(
      'abort',
      () => {
        clearTimeout(this.later);
        this.idle.cancel();
      },
      { once: true },
    );
  }

  /** Starts a pass, unless one is under way (it sees what is noted meanwhile only if planned again). */
  prune(): void {
    const { cache, log, signal } = this.options;
    if (this.pruning || signal.aborted) return;
    this.pruning = cache
      .prune(signal)
      .then((removed) => {
        if (removed > 0) log.debug({ removed }, 'pruned the object cache');
        // The end of a sync's background work: a full collection and a malloc trim (a clone
        // thread's heap is freed into a malloc arena of its own, the sync's buffers into the main
        // one, and glibc keeps both) once the memory in use grew past a slack, or once the agent
        // is quiet (idle-settle.ts).
        // An idle agent holding 10 000 files kept 12-16 MiB in the arenas (RSS 92 -> 77 MiB after
        // a trim, an agent holding nothing 76), and 5-9 MiB of V8 pages its memory reducer gave
        // back 10-30 s later, or never.
        this.idle.settle();
        if (!signal.aborted) this.options.onPassOver?.();
      })
      .catch((err: unknown) => {
        if (!signal.aborted) log.warn({ err }, 'cache prune failed');
      })
      .finally(() => {
        this.pruning = undefined;
        if (cache.pendingPrune === 0 || signal.aborted || this.later) return;
        this.later = setTimeout(() => {
          this.later = undefined;
          this.prune();
        }, PRUNE_GRACE_MS + 1000);
        this.later.unref();
      });
  }

  /** Settles once the pass under way (if any) is over. */
  settled(): Promise<void> {
    return this.pruning ?? Promise.resolve();
  }
}
