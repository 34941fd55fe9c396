import { setTimeout as sleep } from 'node:timers/promises';
/**
 * How long a test waits for something that takes a second or two on a quiet machine: far above
 * that, so a loaded one is slow, never failing. Measured: at load average 20 on 2 cores, a test
 * run under `nice` saw an agent take over 60 s to log `listening` (0.5 s when quiet). A wait
 * that does end this way is a hang; tap's per-file timeout (.taprc) bounds the whole file.
 */
export const WAIT_LIMIT_MS = 120_000;
/** A `codesync` process starting up (loading its modules, binding its port): the slowest step under load. */
export const START_LIMIT_MS = 180_000;
/**
 * The tests' one polling helper: checks `check` every `intervalMs` until it holds, or throws
 * `timed out waiting for <what>` (with `detail()` appended, to show what was seen instead).
 */
export async function waitFor(what, check, timeoutMs = WAIT_LIMIT_MS, options = {}) {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
        if (Date.now() > deadline)
            throw new Error(`timed out waiting for ${what} (${timeoutMs} ms)${options.detail ? `: ${options.detail()}` : ''}`);
        await sleep(options.intervalMs ?? 50);
    }
}
//# sourceMappingURL=wait-for.js.map