import type { Logger } from 'pino';
import { isCodesyncError } from '../../protocol/errors.js';
import type { ActivationFeed } from '../reload/activation-feed.js';
import { backoffDelay, sleep } from '../../protocol/runtime/backoff.js';
import { classifyFsError } from '../cache/durable-fs.js';
import type { LagTracker } from '../observability/lag-tracker.js';
import type { AgentMetrics } from '../observability/metrics.js';
import type { ActiveRelease } from '../../protocol/reload-socket.js';
import type { SyncEngine } from './sync-engine.js';

export interface AppWorkerOptions {
  app: string;
  engine: SyncEngine;
  metrics: AgentMetrics;
  lag: LagTracker;
  feed: ActivationFeed;
  log: Logger;
  /** Called after each switch (the node report goes out at once). */
  onActivated: (app: string) => void;
  /**
   * Called after each switch and each recovery from disk with the engine's background work (the
   * spare and reserve trees, old releases retired), which settles once that is over: the shared
   * cache is pruned then, and the memory given back.
   */
  onBackground: (settled: Promise<void>) => void;
  /** Called after each failed sync or recovery, with the error line the report carries. */
  onSyncFailed?: (message: string) => void;
  /** First retry delay after a failed sync, before jitter. */
  retryBaseMs?: number;
  /** Longest retry delay. */
  retryCapMs?: number;
}

/**
 * Drives one app's SyncEngine: one sync at a time, releases arriving meanwhile collapse to the
 * newest (seq 5, 6 and 7 during a sync mean one pull of 7), failed syncs retry with exponential
 * backoff and full jitter, and a verify pass runs between syncs when asked.
 */
export class AppWorker {
  readonly app: string;
  private readonly options: AppWorkerOptions;
  private wanted = 0;
  /** Store of the wanted seq (`x-codesync-store-id`), once the server named one. */
  private wantedStore: string | undefined;
  private verifyWanted = false;
  private wake: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private activation: ActiveRelease | undefined;
  /** Message of the last failed sync; cleared by the next switch. */
  lastError: string | null = null;

  constructor(options: AppWorkerOptions) {
    this.app = options.app;
    this.options = options;
  }

  /** The release `current` serves, once known. */
  get activated(): ActiveRelease | undefined {
    return this.activation;
  }

  start(signal: AbortSignal): void {
    this.running ??= this.loop(signal).catch((err: unknown) => {
      if (!signal.aborted) this.options.log.error({ err }, 'app worker stopped');
    });
  }

  /**
   * Asks for release `seq` of store `storeId` (or newer, if one is already wanted). A seq from
   * another store than the one wanted so far is never "older": that store replaced the old one.
   */
  want(seq: number, storeId?: string): void {
    const sameStore = storeId === undefined || this.wantedStore === undefined || storeId === this.wantedStore;
    if (sameStore && seq <= this.wanted) return;
    this.wanted = seq;
    if (storeId !== undefined) this.wantedStore = storeId;
    this.wake?.();
  }

  /** Asks for a full verify pass of `current` at the next idle moment. */
  requestVerify(): void {
    this.verifyWanted = true;
    this.wake?.();
  }

  async stopped(): Promise<void> {
    await this.running;
  }

  private async loop(signal: AbortSignal): Promise<void> {
    const { engine, log } = this.options;
    const recovered = await this.retrying(signal, 'recover', () => engine.recover(signal));
    if (recovered) this.activate(recovered, false);
    let attempt = 0;
    while (!signal.aborted) {
      if (this.wanted > 0 && !engine.holds(this.wanted, this.wantedStore)) {
        const ok = await this.syncOnce(this.wanted, this.wantedStore, signal);
        if (ok) attempt = 0;
        else await sleep(backoffDelay(attempt++, this.options.retryBaseMs ?? 500, this.options.retryCapMs ?? 60_000), signal).catch(() => {});
        continue;
      }
      if (this.verifyWanted) {
        this.verifyWanted = false;
        await this.verify(signal).catch((err: unknown) => {
          if (!signal.aborted) log.error({ err }, 'verify pass failed');
        });
        continue;
      }
      // The abort listener goes with each wait: one left per release piled up on the agent's signal.
      const onAbort = () => this.wake?.();
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        signal.addEventListener('abort', onAbort, { once: true });
      });
      signal.removeEventListener('abort', onAbort);
      this.wake = undefined;
    }
  }

  private async syncOnce(seq: number, storeId: string | undefined, signal: AbortSignal): Promise<boolean> {
    const { engine, metrics, log } = this.options;
    const started = performance.now();
    try {
      const activation = await engine.sync(seq, signal, storeId);
      metrics.syncDuration.observe({ app: this.app, result: 'ok' }, (performance.now() - started) / 1000);
      if (activation) this.activate(activation, true);
      return true;
    } catch (err) {
      if (signal.aborted) return false;
      const error = classifyFsError(err, this.options.engine.layout.current);
      const reason = isCodesyncError(error) ? error.code : 'INTERNAL';
      metrics.syncDuration.observe({ app: this.app, result: 'error' }, (performance.now() - started) / 1000);
      metrics.syncFailures.inc({ app: this.app, reason });
      this.lastError = `${reason}: ${(error as Error).message}`;
      log.error({ seq, reason, err: error }, 'sync failed; the last good release stays current');
      this.options.onSyncFailed?.(this.lastError);
      return false;
    }
  }

  private activate(activation: ActiveRelease, switched: boolean): void {
    const { metrics, lag, feed } = this.options;
    this.activation = activation;
    this.lastError = null;
    metrics.releaseSeq.set({ app: this.app }, activation.seq);
    lag.applied(this.app, activation.seq);
    if (switched) metrics.lastSyncTimestamp.set({ app: this.app }, Date.now() / 1000);
    feed.activate(activation);
    if (switched) this.options.onActivated(this.app);
    // The engine clones and retires trees in the background, after a restart too; it logs its own failures.
    this.options.onBackground(this.options.engine.idle());
  }

  /** Re-hashes `current`; restores modified, missing or extra paths through a fresh tree. */
  private async verify(signal: AbortSignal): Promise<void> {
    const { engine, metrics, log } = this.options;
    const held = engine.current;
    if (!held) return;
    const problems = await engine.check(true, signal);
    if (problems.length === 0) {
      log.debug({ seq: held.seq }, 'verify pass: current matches its manifest');
      return;
    }
    log.warn({ seq: held.seq, count: problems.length, problems: problems.slice(0, 10).map(({ path, kind }) => ({ path, kind })) }, 'drift under current: restoring it');
    await engine.dropDamagedObjects(problems);
    await engine.rebuildCurrent(held, signal);
    metrics.driftRepairs.inc({ app: this.app }, problems.length);
    log.info({ seq: held.seq, repaired: problems.length }, 'drift repaired');
  }

  /** Runs `work` until it succeeds or the agent stops; failures are logged and retried. */
  private async retrying<T>(signal: AbortSignal, what: string, work: () => Promise<T>): Promise<T | undefined> {
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        return await work();
      } catch (err) {
        if (signal.aborted) break;
        const error = classifyFsError(err, this.options.engine.layout.current);
        const reason = isCodesyncError(error) ? error.code : 'INTERNAL';
        this.options.metrics.syncFailures.inc({ app: this.app, reason });
        this.lastError = `${reason}: ${(error as Error).message}`;
        this.options.log.error({ reason, err: error }, `${what} failed; retrying`);
        this.options.onSyncFailed?.(this.lastError);
        await sleep(backoffDelay(attempt, this.options.retryBaseMs ?? 500, this.options.retryCapMs ?? 60_000), signal).catch(() => {});
      }
    }
    return undefined;
  }
}
