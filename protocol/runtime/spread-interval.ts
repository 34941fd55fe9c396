/**
 * Runs `work` every `periodMs`, the first time after a random part of a period, until `signal`
 * aborts. Agents started together (a node pool created, a DaemonSet rolled out) would otherwise
 * send their heartbeats and listings in the same instant for as long as they run: 1 000 reports
 * at once every 30 s is a burst the server answers while a hotfix waits behind it. Spread over
 * the period they cost the same and arrive evenly. No gap between two runs exceeds `periodMs`,
 * so whatever counts on that period (the server forgetting a silent node) still holds.
 * The timers never keep the process up. `phase`, in [0, 1), is the part of a period before the first
 * run (default: random).
 */
export function spreadInterval(periodMs: number, work: () => void, signal: AbortSignal, phase = Math.random()): void {
  if (signal.aborted) return;
  let interval: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    interval = setInterval(work, periodMs).unref();
    work();
  }, phase * periodMs).unref();
  signal.addEventListener(
    'abort',
    () => {
      clearTimeout(first);
      clearInterval(interval);
    },
    { once: true },
  );
}
