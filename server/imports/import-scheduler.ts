import type { Logger } from 'pino';
import type { ReleaseStore } from '../store/release-store.js';
import { KeyedMutex } from '../store/locks.js';
import type { ImportOutcome, Importer, ImportRequestOptions } from './importer.js';
import { importIntervalMs } from './import-settings.js';

interface Poll {
  intervalMs: number;
  timer: NodeJS.Timeout;
}

/**
 * Runs an app's imports one at a time (requests queue behind the running one) and polls the
 * source of every app with an importInterval. A poll is skipped while an import of its app runs
 * or waits, so a slow release host never piles polls up; the next one is timed from the end of
 * the last. Stopping aborts the running rsync.
 */
export class ImportScheduler {
  private readonly locks = new KeyedMutex();
  private readonly pending = new Map<string, number>();
  private readonly polls = new Map<string, Poll>();
  private readonly controller = new AbortController();
  private readonly running = new Set<Promise<unknown>>();
  private started = false;

  constructor(
    private readonly importer: Importer,
    private readonly releases: ReleaseStore,
    private readonly logger: Logger,
  ) {}

  /** Starts polling every app that has an importSource and an importInterval. */
  start(): void {
    this.started = true;
    for (const app of this.releases.appNames()) this.refresh(app);
  }

  /** Re-reads an app's settings (after `PUT /v1/apps/{app}`): starts, re-times or stops its polls. */
  refresh(app: string): void {
    if (!this.started || this.controller.signal.aborted) return;
    const info = this.releases.app(app);
    const intervalMs = info ? importIntervalMs(info) : 0;
    const poll = this.polls.get(app);
    if (poll?.intervalMs === intervalMs) return;
    if (poll) clearTimeout(poll.timer);
    this.polls.delete(app);
    if (intervalMs > 0) {
      this.schedule(app, intervalMs);
      this.logger.info({ app, intervalMs }, 'import polling');
    }
  }

  /** The app was deleted: stops its polls and, once no import of it runs, drops its mirror. */
  forget(app: string): void {
    this.refresh(app);
    void this.locks
      .run(app, () => (this.releases.app(app) ? Promise.resolve() : this.importer.forget(app)))
      .catch((err: unknown) => this.logger.warn({ err, app }, 'could not remove the import mirror of a deleted app'));
  }

  /** Runs one import of `app` after any running or queued one. */
  run(app: string, request: Omit<ImportRequestOptions, 'signal'>): Promise<ImportOutcome> {
    this.pending.set(app, (this.pending.get(app) ?? 0) + 1);
    const work = this.locks
      .run(app, () => this.importer.run(app, { ...request, signal: this.controller.signal }))
      .finally(() => {
        const left = (this.pending.get(app) ?? 1) - 1;
        if (left === 0) this.pending.delete(app);
        else this.pending.set(app, left);
        this.running.delete(work);
      });
    this.running.add(work);
    return work;
  }

  /** Stops polling, aborts running imports and waits for them to end. */
  async stop(): Promise<void> {
    this.controller.abort(new Error('server shutting down'));
    for (const poll of this.polls.values()) clearTimeout(poll.timer);
    this.polls.clear();
    await Promise.allSettled([...this.running]);
  }

  private schedule(app: string, intervalMs: number): void {
    const timer = setTimeout(() => void this.poll(app, intervalMs), intervalMs);
    timer.unref();
    this.polls.set(app, { intervalMs, timer });
  }

  private async poll(app: string, intervalMs: number): Promise<void> {
    if (!this.pending.has(app)) {
      // The importer logs and counts every outcome; a failed poll just waits for the next one.
      await this.run(app, { trigger: 'interval' }).catch(() => undefined);
    }
    if (this.polls.get(app)?.intervalMs === intervalMs && !this.controller.signal.aborted) this.schedule(app, intervalMs);
  }
}
