import { KeyedMutex } from '../store/locks.js';
import { importIntervalMs } from './import-settings.js';
/**
 * Runs an app's imports one at a time (requests queue behind the running one) and polls the
 * source of every app with an importInterval. A poll is skipped while an import of its app runs
 * or waits, so a slow release host never piles polls up; the next one is timed from the end of
 * the last. Stopping aborts the running rsync.
 */
export class ImportScheduler {
    importer;
    releases;
    logger;
    locks = new KeyedMutex();
    pending = new Map();
    polls = new Map();
    controller = new AbortController();
    running = new Set();
    started = false;
    constructor(importer, releases, logger) {
        this.importer = importer;
        this.releases = releases;
        this.logger = logger;
    }
    /** Starts polling every app that has an importSource and an importInterval. */
    start() {
        this.started = true;
        for (const app of this.releases.appNames())
            this.refresh(app);
    }
    /** Re-reads an app's settings (after `PUT /v1/apps/{app}`): starts, re-times or stops its polls. */
    refresh(app) {
        if (!this.started || this.controller.signal.aborted)
            return;
        const info = this.releases.app(app);
        const intervalMs = info ? importIntervalMs(info) : 0;
        const poll = this.polls.get(app);
        if (poll?.intervalMs === intervalMs)
            return;
        if (poll)
            clearTimeout(poll.timer);
        this.polls.delete(app);
        if (intervalMs > 0) {
            this.schedule(app, intervalMs);
            this.logger.info({ app, intervalMs }, 'import polling');
        }
    }
    /** The app was deleted: stops its polls and, once no import of it runs, drops its mirror. */
    forget(app) {
        this.refresh(app);
        void this.locks
            .run(app, () => (this.releases.app(app) ? Promise.resolve() : this.importer.forget(app)))
            .catch((err) => this.logger.warn({ err, app }, 'could not remove the import mirror of a deleted app'));
    }
    /** Runs one import of `app` after any running or queued one. */
    run(app, request) {
        this.pending.set(app, (this.pending.get(app) ?? 0) + 1);
        const work = this.locks
            .run(app, () => this.importer.run(app, { ...request, signal: this.controller.signal }))
            .finally(() => {
            const left = (this.pending.get(app) ?? 1) - 1;
            if (left === 0)
                this.pending.delete(app);
            else
                this.pending.set(app, left);
            this.running.delete(work);
        });
        this.running.add(work);
        return work;
    }
    /** Stops polling, aborts running imports and waits for them to end. */
    async stop() {
        this.controller.abort(new Error('server shutting down'));
        for (const poll of this.polls.values())
            clearTimeout(poll.timer);
        this.polls.clear();
        await Promise.allSettled([...this.running]);
    }
    schedule(app, intervalMs) {
        const timer = setTimeout(() => void this.poll(app, intervalMs), intervalMs);
        timer.unref();
        this.polls.set(app, { intervalMs, timer });
    }
    async poll(app, intervalMs) {
        if (!this.pending.has(app)) {
            // The importer logs and counts every outcome; a failed poll just waits for the next one.
            await this.run(app, { trigger: 'interval' }).catch(() => undefined);
        }
        if (this.polls.get(app)?.intervalMs === intervalMs && !this.controller.signal.aborted)
            this.schedule(app, intervalMs);
    }
}
//# sourceMappingURL=import-scheduler.js.map