import { setFlagsFromString } from 'node:v8';
/**
 * V8's interrupt budget (bytecode executed) before a function is considered for its optimizing
 * compiler, TurboFan: 8× Node 20's default (67 584).
 *
 * Why: an agent's first sync is a cold one, right after it starts, and V8 optimized ~160
 * functions during a cold sync of 10 000 files (tar and HTTP parsing, streams, bookkeeping;
 * `--trace-opt`: ~720 ms of compile time on its background threads, deoptimized and compiled again
 * for some), against ~2.8 s of CPU for the whole sync. With a larger budget only what stays hot
 * is optimized, later. Same-run A/B, cold agent of 10 000 files on a fresh ext4: CPU median
 * 2 790 → 2 480 ms (4 pairs); of 100 000 files of 15 bytes, where the hot loops run longest,
 * 14.4 → 14.1 s (3 pairs): a hot loop still gets optimized, a little later.
 */
export const TIERING_INTERRUPT_BUDGET = 8 * 67_584;
let raised = false;
/**
 * Raises the budget for this process (every thread: V8's flags are per process), once. Called
 * where a cache is made, before any sync runs, so the first cold sync already runs under it.
 */
export function raiseTieringBudget() {
    if (raised)
        return;
    raised = true;
    setFlagsFromString(`--interrupt-budget=${TIERING_INTERRUPT_BUDGET}`);
}
//# sourceMappingURL=tiering-budget.js.map