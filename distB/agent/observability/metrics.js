import { statfs } from 'node:fs/promises';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
/** The agent's Prometheus metrics (docs/agent.md, "Metrics"), on a registry of their own. */
export class AgentMetrics {
    registry = new Registry();
    releaseSeq;
    latestSeq;
    lastSyncTimestamp;
    syncDuration;
    syncFailures;
    fetchedBytes;
    fetchedFiles;
    reusedFiles;
    pullSlotWait;
    driftRepairs;
    serverConnected;
    reloadAcks;
    constructor(lag) {
        const registers = [this.registry];
        this.releaseSeq = new Gauge({ name: 'codesync_agent_release_seq', help: 'Seq of the release current serves', labelNames: ['app'], registers });
        this.latestSeq = new Gauge({
            name: 'codesync_agent_latest_seq',
            help: 'Newest seq the agent knows the server holds',
            labelNames: ['app'],
            registers,
            collect() {
                for (const app of lag.appNames())
                    this.set({ app }, lag.latest(app) ?? 0);
            },
        });
        new Gauge({
            name: 'codesync_agent_sync_lag_seconds',
            help: 'Seconds since the first release the node lacks was published; 0 when current',
            labelNames: ['app'],
            registers,
            collect() {
                const now = Date.now();
                for (const app of lag.appNames())
                    this.set({ app }, lag.lagSeconds(app, now));
            },
        });
        this.lastSyncTimestamp = new Gauge({ name: 'codesync_agent_last_sync_timestamp_seconds', help: 'Unix time of the last successful switch', labelNames: ['app'], registers });
        this.syncDuration = new Histogram({
            name: 'codesync_agent_sync_duration_seconds',
            help: 'Time from starting a sync to its switch (or failure)',
            labelNames: ['app', 'result'],
            buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
            registers,
        });
        this.syncFailures = new Counter({ name: 'codesync_agent_sync_failures_total', help: 'Failed syncs by error code', labelNames: ['app', 'reason'], registers });
        this.fetchedBytes = new Counter({ name: 'codesync_agent_fetched_bytes_total', help: 'Blob bytes received from the server', labelNames: ['app'], registers });
        this.fetchedFiles = new Counter({ name: 'codesync_agent_fetched_files_total', help: 'Blobs received from the server', labelNames: ['app'], registers });
        this.reusedFiles = new Counter({ name: 'codesync_agent_reused_files_total', help: 'Added or changed files linked from the node cache without a fetch', labelNames: ['app'], registers });
        this.pullSlotWait = new Histogram({
            name: 'codesync_agent_pull_slot_wait_seconds',
            help: 'Time spent waiting for a pull slot',
            buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
            registers,
        });
        this.driftRepairs = new Counter({ name: 'codesync_agent_drift_repairs_total', help: 'Files under current found modified or missing and restored', labelNames: ['app'], registers });
        this.serverConnected = new Gauge({ name: 'codesync_agent_server_connected', help: '1 while the event stream to the server is open', registers });
        this.reloadAcks = new Counter({ name: 'codesync_agent_reload_acks_total', help: 'Reload acks from pods by result', labelNames: ['app', 'result'], registers });
    }
}
/**
 * `codesync_agent_root_free_bytes` and `codesync_agent_root_size_bytes`: statfs of `--root` at
 * scrape time, so an alert sees the filesystem fill up before syncs fail with DISK_FULL, whoever
 * else writes to it. Free is what an unprivileged writer could still use (`bavail`).
 */
export function registerRootSpaceMetrics(registry, root) {
    const gauge = (name, help, bytes) => new Gauge({
        name,
        help,
        registers: [registry],
        async collect() {
            // A root that cannot be read keeps its last value; the agent's sync errors say why.
            const stats = await statfs(root).catch(() => undefined);
            if (stats)
                this.set(bytes(stats));
        },
    });
    gauge('codesync_agent_root_free_bytes', 'Bytes still available on the filesystem of --root', (stats) => stats.bavail * stats.bsize);
    gauge('codesync_agent_root_size_bytes', 'Size in bytes of the filesystem of --root', (stats) => stats.blocks * stats.bsize);
}
//# sourceMappingURL=metrics.js.map