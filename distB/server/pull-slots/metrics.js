import { Gauge, Histogram } from 'prom-client';
/** Waits run from milliseconds (idle server) to minutes (a herd behind few slots). */
const WAIT_BUCKETS = [0.005, 0.05, 0.25, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
export function createPullMeterMetrics(registry) {
    const active = gauge(registry, 'codesync_server_pull_slots_active', 'Pull slots granted and not yet released or expired.');
    const waiting = gauge(registry, 'codesync_server_pull_slots_waiting', 'Nodes waiting in line for a pull slot.');
    const open = gauge(registry, 'codesync_server_blob_streams_open', 'Blob responses (blob, blobs:fetch, pack) being sent right now.');
    const peak = gauge(registry, 'codesync_server_blob_streams_peak', 'Most blob responses ever sent at the same time since the server started.');
    const wait = histogram(registry, 'codesync_server_pull_slot_wait_seconds', 'Seconds a node waited in line before it was granted a pull slot.');
    let streams = 0;
    let most = 0;
    peak.set(0);
    open.set(0);
    return {
        queueChanged: (stats) => {
            active.set(stats.active);
            waiting.set(stats.waiting);
        },
        slotGranted: (seconds) => wait.observe(seconds),
        streamOpened: () => {
            streams += 1;
            open.set(streams);
            if (streams > most)
                peak.set((most = streams));
            return streams;
        },
        streamClosed: () => {
            streams -= 1;
            open.set(streams);
            return streams;
        },
    };
}
// The server may already define a metric of the same name (docs/api.md#health-and-metrics lists slots_active and
// slots_waiting among the server's): share it rather than fail with a duplicate registration.
function gauge(registry, name, help) {
    return registry.getSingleMetric(name) ?? new Gauge({ name, help, registers: [registry] });
}
function histogram(registry, name, help) {
    return registry.getSingleMetric(name) ?? new Histogram({ name, help, buckets: WAIT_BUCKETS, registers: [registry] });
}
//# sourceMappingURL=metrics.js.map