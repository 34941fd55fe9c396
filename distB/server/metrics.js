import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { lagSeconds } from './nodes/app-status.js';
/**
 * The server's metrics (docs/api.md#health-and-metrics) in their own registry. Gauges that derive from state
 * (latest seq, node lag, store size) are computed at scrape time, so a silent node's lag grows.
 * Other parts (pull slots) register their metrics on `registry`.
 */
export class ServerMetrics {
    registry = new Registry();
    releasesPublished;
    blobBytesSent;
    eventSubscribers;
    /** Imports from an rsync source by result: `published`, `unchanged` or the error code. */
    importsTotal;
    importDuration;
    importBytesReceived;
    nodesForgotten;
    constructor(sources) {
        const registers = [this.registry];
        collectDefaultMetrics({ register: this.registry });
        new Gauge({
            name: 'codesync_server_release_seq',
            help: 'Seq of the latest release of each app.',
            labelNames: ['app'],
            registers,
            collect() {
                this.reset();
                for (const app of sources.releases.appNames()) {
                    const latest = sources.releases.latest(app);
                    if (latest)
                        this.set({ app }, latest.seq);
                }
            },
        });
        this.releasesPublished = new Counter({ name: 'codesync_server_releases_published_total', help: 'Releases published (rollbacks included).', labelNames: ['app'], registers });
        new Gauge({
            name: 'codesync_server_node_sync_lag_seconds',
            help: 'Seconds since the first release a node lacks was published; 0 when it runs the latest.',
            labelNames: ['app', 'node'],
            registers,
            collect() {
                this.reset();
                const now = Date.now();
                for (const { node, report } of sources.nodes.all()) {
                    for (const [app, held] of Object.entries(report.apps)) {
                        if (!sources.releases.app(app) || held.selected === false)
                            continue;
                        this.set({ app, node }, lagSeconds(held.seq, sources.releases.releases(app), now));
                    }
                }
            },
        });
        this.blobBytesSent = new Counter({ name: 'codesync_server_blob_bytes_sent_total', help: 'Blob bytes sent (single blobs, fetch tars and packs).', registers });
        this.nodesForgotten = new Counter({ name: 'codesync_server_nodes_forgotten_total', help: 'Nodes forgotten after --forget-nodes-after of silence.', registers });
        this.eventSubscribers = new Gauge({ name: 'codesync_server_event_subscribers', help: 'Open event streams.', registers });
        this.importsTotal = new Counter({ name: 'codesync_server_imports_total', help: 'Imports from an rsync source, by result (published, unchanged or the error code).', labelNames: ['app', 'result'], registers });
        this.importDuration = new Histogram({
            name: 'codesync_server_import_duration_seconds',
            help: 'Wall time of one import: rsync passes, hashing, publish.',
            labelNames: ['app'],
            buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
            registers,
        });
        this.importBytesReceived = new Counter({ name: 'codesync_server_import_bytes_received_total', help: 'Bytes rsync read from import sources (release hosts).', labelNames: ['app'], registers });
        new Gauge({
            name: 'codesync_server_store_bytes',
            help: 'Bytes of all stored blobs.',
            registers,
            collect() {
                this.set(sources.blobs.totalBytes);
            },
        });
    }
}
//# sourceMappingURL=metrics.js.map