import { Gauge } from 'prom-client';
/**
 * `codesync_agent_reload_subscribers{app}` (docs/agent.md#metrics), read from the hub at scrape time so the
 * gauge can never drift from the streams actually open. Apps the node holds show 0 when no pod
 * listens, which is what an alert on "no reloader for this app" needs.
 */
export function registerReloadSocketMetrics(registry, hub, feed) {
    return new Gauge({
        name: 'codesync_agent_reload_subscribers',
        help: 'Event streams open on the node-local reload socket, per app they follow.',
        labelNames: ['app'],
        registers: [registry],
        collect() {
            this.reset();
            for (const app of new Set([...feed.apps().map((held) => held.app), ...hub.followedApps()]))
                this.set({ app }, hub.count(app));
        },
    });
}
//# sourceMappingURL=metrics.js.map