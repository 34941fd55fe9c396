import { CodesyncError } from '../../protocol/errors.js';
import { backoffDelay, sleep } from '../../protocol/runtime/backoff.js';
/** Answers that no retry can fix: the request or the credentials are wrong, or the client refuses the server. */
const FINAL_CODES = new Set(['INVALID_REQUEST', 'INVALID_APP_NAME', 'UNAUTHORIZED', 'FORBIDDEN', 'BODY_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'TLS_UNTRUSTED', 'USAGE']);
/** How long release() waits for the server before giving up: the slot expires anyway. */
const RELEASE_TIMEOUT_MS = 5_000;
/**
 * PullSlots over HTTP (docs/throttling.md): long-polls `POST /v1/pull-slots?wait=30` until the server
 * grants a slot, asks again after each 429 once `Retry-After` passed (the server keeps the place
 * in line meanwhile), retries errors with exponential backoff and full jitter, and leaves the line
 * when the signal aborts (the long-poll is cancelled, which the server sees as a disconnect).
 * A server without metering answers 404: then the lease has no slot.
 */
export class ServerPullSlots {
    options;
    constructor(options) {
        this.options = options;
    }
    async acquire({ app, bytes, cold, signal }) {
        const started = performance.now();
        const log = this.options.logger;
        for (let failures = 0;;) {
            signal.throwIfAborted();
            let outcome;
            try {
                outcome = await this.options.client.requestPullSlot({ node: this.options.node, app, bytes, cold }, this.options.waitSeconds ?? 30, signal);
            }
            catch (err) {
                signal.throwIfAborted();
                if (!retryable(err))
                    throw err;
                const delayMs = backoffDelay(failures++, this.options.backoffBaseMs ?? 500, this.options.backoffMaxMs ?? 30_000);
                log?.warn({ app, err: err.message, retryInMs: Math.round(delayMs), failures }, 'pull slot request failed; retrying');
                await sleep(delayMs, signal);
                continue;
            }
            failures = 0;
            if (outcome.kind === 'unmetered')
                return { slot: undefined, release: async () => { } };
            if (outcome.kind === 'granted') {
                this.options.observeWait?.((performance.now() - started) / 1000);
                const lease = this.lease(app, outcome.grant);
                if (signal.aborted) {
                    await lease.release();
                    signal.throwIfAborted();
                }
                return lease;
            }
            log?.debug({ app, position: outcome.position, retryInMs: outcome.retryAfterMs }, 'waiting in line for a pull slot');
            await sleep(outcome.retryAfterMs, signal);
        }
    }
    lease(app, grant) {
        let released = false;
        // Blob requests renew the slot and an open transfer keeps it alive; this timer covers long
        // gaps between requests (hashing, disk writes) so a live fetch never loses its slot.
        const renewer = setInterval(() => void this.renew(app, grant.slot, renewer), (grant.ttlSeconds * 1000) / 3);
        renewer.unref();
        return {
            slot: grant.slot,
            release: async () => {
                if (released)
                    return;
                released = true;
                clearInterval(renewer);
                try {
                    await this.options.client.releasePullSlot(grant.slot, AbortSignal.timeout(RELEASE_TIMEOUT_MS));
                }
                catch (err) {
                    this.options.logger?.debug({ app, slot: grant.slot, err: err.message }, 'pull slot release failed; it expires on its own');
                }
            },
        };
    }
    async renew(app, slot, renewer) {
        try {
            if (!(await this.options.client.renewPullSlot(slot, AbortSignal.timeout(RELEASE_TIMEOUT_MS)))) {
                clearInterval(renewer);
                this.options.logger?.warn({ app, slot }, 'pull slot expired at the server; the fetch will ask for a new one');
            }
        }
        catch (err) {
            this.options.logger?.debug({ app, slot, err: err.message }, 'pull slot renewal failed');
        }
    }
}
function retryable(err) {
    return !(err instanceof CodesyncError) || !FINAL_CODES.has(err.code);
}
//# sourceMappingURL=server-pull-slots.js.map