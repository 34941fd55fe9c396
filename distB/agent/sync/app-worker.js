import { isCodesyncError } from '../../protocol/errors.js';
import { backoffDelay, sleep } from '../../protocol/runtime/backoff.js';
import { classifyFsError } from '../cache/durable-fs.js';
/**
 * Drives one app's SyncEngine: one sync at a time, releases arriving meanwhile collapse to the
 * newest (seq 5, 6 and 7 during a sync mean one pull of 7), failed syncs retry with exponential
 * backoff and full jitter, and a verify pass runs between syncs when asked.
 */
export class AppWorker {
    app;
    options;
    wanted = 0;
    /** Store of the wanted seq (`x-codesync-store-id`), once the server named one. */
    wantedStore;
    verifyWanted = false;
    wake;
    running;
    activation;
    /** Message of the last failed sync; cleared by the next switch. */
    lastError = null;
    constructor(options) {
        this.app = options.app;
        this.options = options;
    }
    /** The release `current` serves, once known. */
    get activated() {
        return this.activation;
    }
    start(signal) {
        this.running ??= this.loop(signal).catch((err) => {
            if (!signal.aborted)
                this.options.log.error({ err }, 'app worker stopped');
        });
    }
    /**
     * Asks for release `seq` of store `storeId` (or newer, if one is already wanted). A seq from
     * another store than the one wanted so far is never "older": that store replaced the old one.
     */
    want(seq, storeId) {
        const sameStore = storeId === undefined || this.wantedStore === undefined || storeId === this.wantedStore;
        if (sameStore && seq <= this.wanted)
            return;
        this.wanted = seq;
        if (storeId !== undefined)
            this.wantedStore = storeId;
        this.wake?.();
    }
    /** Asks for a full verify pass of `current` at the next idle moment. */
    requestVerify() {
        this.verifyWanted = true;
        this.wake?.();
    }
    async stopped() {
        await this.running;
    }
    async loop(signal) {
        const { engine, log } = this.options;
        const recovered = await this.retrying(signal, 'recover', () => engine.recover(signal));
        if (recovered)
            this.activate(recovered, false);
        let attempt = 0;
        while (!signal.aborted) {
            if (this.wanted > 0 && !engine.holds(this.wanted, this.wantedStore)) {
                const ok = await this.syncOnce(this.wanted, this.wantedStore, signal);
                if (ok)
                    attempt = 0;
                else
                    await sleep(backoffDelay(attempt++, this.options.retryBaseMs ?? 500, this.options.retryCapMs ?? 60_000), signal).catch(() => { });
                continue;
            }
            if (this.verifyWanted) {
                this.verifyWanted = false;
                await this.verify(signal).catch((err) => {
                    if (!signal.aborted)
                        log.error({ err }, 'verify pass failed');
                });
                continue;
            }
            // The abort listener goes with each wait: one left per release piled up on the agent's signal.
            const onAbort = () => this.wake?.();
            await new Promise((resolve) => {
                this.wake = resolve;
                signal.addEventListener('abort', onAbort, { once: true });
            });
            signal.removeEventListener('abort', onAbort);
            this.wake = undefined;
        }
    }
    async syncOnce(seq, storeId, signal) {
        const { engine, metrics, log } = this.options;
        const started = performance.now();
        try {
            const activation = await engine.sync(seq, signal, storeId);
            metrics.syncDuration.observe({ app: this.app, result: 'ok' }, (performance.now() - started) / 1000);
            if (activation)
                this.activate(activation, true);
            return true;
        }
        catch (err) {
            if (signal.aborted)
                return false;
            const error = classifyFsError(err, this.options.engine.layout.current);
            const reason = isCodesyncError(error) ? error.code : 'INTERNAL';
            metrics.syncDuration.observe({ app: this.app, result: 'error' }, (performance.now() - started) / 1000);
            metrics.syncFailures.inc({ app: this.app, reason });
            this.lastError = `${reason}: ${error.message}`;
            log.error({ seq, reason, err: error }, 'sync failed; the last good release stays current');
            this.options.onSyncFailed?.(this.lastError);
            return false;
        }
    }
    activate(activation, switched) {
        const { metrics, lag, feed } = this.options;
        this.activation = activation;
        this.lastError = null;
        metrics.releaseSeq.set({ app: this.app }, activation.seq);
        lag.applied(this.app, activation.seq);
        if (switched)
            metrics.lastSyncTimestamp.set({ app: this.app }, Date.now() / 1000);
        feed.activate(activation);
        if (switched)
            this.options.onActivated(this.app);
        // The engine clones and retires trees in the background, after a restart too; it logs its own failures.
        this.options.onBackground(this.options.engine.idle());
    }
    /** Re-hashes `current`; restores modified, missing or extra paths through a fresh tree. */
    async verify(signal) {
        const { engine, metrics, log } = this.options;
        const held = engine.current;
        if (!held)
            return;
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
    async retrying(signal, what, work) {
        for (let attempt = 0; !signal.aborted; attempt++) {
            try {
                return await work();
            }
            catch (err) {
                if (signal.aborted)
                    break;
                const error = classifyFsError(err, this.options.engine.layout.current);
                const reason = isCodesyncError(error) ? error.code : 'INTERNAL';
                this.options.metrics.syncFailures.inc({ app: this.app, reason });
                this.lastError = `${reason}: ${error.message}`;
                this.options.log.error({ reason, err: error }, `${what} failed; retrying`);
                this.options.onSyncFailed?.(this.lastError);
                await sleep(backoffDelay(attempt, this.options.retryBaseMs ?? 500, this.options.retryCapMs ?? 60_000), signal).catch(() => { });
            }
        }
        return undefined;
    }
}
//# sourceMappingURL=app-worker.js.map