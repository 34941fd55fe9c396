/**
 * The milliseconds from a sync's start to the end of each of its phases, for the `switched` log:
 * wall time, and CPU time of the whole process (thread pool included). On a loaded node the wall
 * times say how long a phase waited, the CPU times what it cost.
 */
export class PhaseClock {
    /** Wall milliseconds from the start to the end of each phase. */
    ms = {};
    /** CPU milliseconds (user + system, to 0.1 ms) from the start to the end of each phase. */
    cpuMs = {};
    started = performance.now();
    cpuStarted = process.cpuUsage();
    /** Marks the end of phase `name`. */
    lap(name) {
        this.ms[name] = Math.round(performance.now() - this.started);
        const { user, system } = process.cpuUsage(this.cpuStarted);
        this.cpuMs[name] = Math.round((user + system) / 100) / 10;
    }
}
//# sourceMappingURL=phase-clock.js.map