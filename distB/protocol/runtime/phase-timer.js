/**
 * Wall-clock milliseconds per named phase of one run, for logs and `--json`: where a slow publish
 * or import spends its time. `lap(phase)` adds the time since the previous lap (or since the
 * timer was made) to `phase`.
 */
export class PhaseTimer {
    ms;
    mark = performance.now();
    constructor(phases) {
        this.ms = Object.fromEntries(phases.map((phase) => [phase, 0]));
    }
    lap(phase) {
        const now = performance.now();
        this.ms[phase] += Math.round(now - this.mark);
        this.mark = now;
    }
}
//# sourceMappingURL=phase-timer.js.map