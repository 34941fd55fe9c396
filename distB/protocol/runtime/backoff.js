import { setTimeout as wait } from 'node:timers/promises';
/**
 * Exponential backoff with full jitter: a random wait in [0, min(cap, base * 2^attempt)), so
 * clients that failed together (a server restart, an API outage) do not come back together.
 */
export function backoffDelay(attempt, baseMs, capMs) {
    return Math.random() * Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
}
/** `node:timers/promises` setTimeout whose abort rejects with the signal's own reason, like the work it paces. */
export async function sleep(ms, signal) {
    await wait(ms, undefined, { signal }).catch(() => signal.throwIfAborted());
}
//# sourceMappingURL=backoff.js.map