import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How long a test waits for something that takes a second or two on a quiet machine: far above
 * that, so a loaded one (load average 10 on 2 cores, every process 5x slower) is slow, never
 * failing. A wait that does end this way is a hang; tap's per-file timeout bounds the file.
 */
export const WAIT_LIMIT_MS = 60_000;

/**
 * The tests' one polling helper: checks `check` every `intervalMs` until it holds, or throws
 * `timed out waiting for <what>` (with `detail()` appended, to show what was seen instead).
 */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = WAIT_LIMIT_MS,
  options: { intervalMs?: number; detail?: () => string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${timeoutMs} ms)${options.detail ? `: ${options.detail()}` : ''}`);
    await sleep(options.intervalMs ?? 50);
  }
}
