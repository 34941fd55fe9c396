import { backoffDelay, sleep } from '../protocol/runtime/backoff.js';
import { isCodesyncError } from '../protocol/errors.js';
/** First wait before retrying, doubled each attempt up to RETRY_CAP_MS (full jitter). */
const RETRY_BASE_MS = 250;
const RETRY_CAP_MS = 5_000;
/** `--retry-timeout` default: long enough for a server restart or a rolling update behind a proxy. */
export const RETRY_TIMEOUT_DEFAULT_MS = 2 * 60_000;
/**
 * A failure that a later attempt may not meet: the server not reachable (connection refused or
 * reset, a proxy's 502/503/504) or shutting down. Everything else (a refused tree, a bad token)
 * fails at once.
 */
export function isTransient(err) {
    return isCodesyncError(err, 'SERVER_UNREACHABLE') || isCodesyncError(err, 'SHUTTING_DOWN');
}
/**
 * Runs `attempt` until it succeeds, fails for good, or `retryTimeoutMs` has passed since the first
 * transient failure; waits with exponential backoff and full jitter in between. `attempt` must be
 * safe to repeat (a publish is: blobs are content-addressed and an identical tree is `unchanged`).
 */
export async function withRetry(attempt, options) {
    let firstFailure;
    for (let tries = 0;; tries++) {
        try {
            return await attempt();
        }
        catch (err) {
            if (!isTransient(err) || options.signal.aborted)
                throw err;
            firstFailure ??= Date.now();
            const leftMs = firstFailure + options.retryTimeoutMs - Date.now();
            if (leftMs <= 0)
                throw err;
            const delayMs = Math.min(leftMs, backoffDelay(tries, RETRY_BASE_MS, RETRY_CAP_MS));
            options.onRetry?.(err, delayMs);
            await sleep(delayMs, options.signal);
        }
    }
}
//# sourceMappingURL=retry.js.map