import { Registry } from 'prom-client';
import { SERVER_DEFAULTS } from '../options.js';
import { Bandwidth } from './bandwidth.js';
import { createPullMeterMetrics } from './metrics.js';
import { pullSlotRoutes } from './routes.js';
import { createMeteredGate } from './slot-gate.js';
import { SlotQueue } from './slot-queue.js';
export { SlotQueue } from './slot-queue.js';
/** Default small-pull threshold: a hotfix of a few files, well under what a cold node fetches. */
const SMALL_PULL_BYTES = 1024 * 1024;
/**
 * Pull metering of docs/throttling.md: at most N nodes pull blobs at once, the rest wait in a fair queue,
 * and an optional bandwidth cap paces every blob byte the server sends.
 */
export function createPullMeter(options = {}) {
    const maxConcurrent = options.maxConcurrentPulls ?? SERVER_DEFAULTS.maxConcurrentPulls;
    const metrics = createPullMeterMetrics(options.registry ?? new Registry());
    let log = options.logger;
    const queue = maxConcurrent > 0
        ? new SlotQueue({
            maxConcurrent,
            ttlMs: (options.slotTtlSeconds ?? SERVER_DEFAULTS.slotTtlSeconds) * 1000,
            smallPullBytes: options.smallPullBytes ?? SMALL_PULL_BYTES,
            onChange: (stats) => metrics.queueChanged(stats),
            onGrant: (slot, waitedSeconds) => {
                metrics.slotGranted(waitedSeconds);
                log?.info({ slot: slot.id, node: slot.node, app: slot.app, cold: slot.cold, small: slot.small, bytes: slot.bytes, waitedSeconds }, 'pull slot granted');
            },
            onEnd: (slot, reason) => {
                const heldSeconds = (Date.now() - slot.grantedAt) / 1000;
                log?.info({ slot: slot.id, node: slot.node, app: slot.app, reason, heldSeconds }, `pull slot ${reason}`);
            },
        })
        : undefined;
    const bandwidth = options.maxBandwidth ? new Bandwidth({ bytesPerSecond: options.maxBandwidth }) : undefined;
    return {
        gate: createMeteredGate({ queue, bandwidth, metrics }),
        routes: async (instance) => {
            log ??= instance.log;
            if (queue)
                await instance.register(pullSlotRoutes, { queue });
        },
        queue,
        close: () => queue?.close(),
    };
}
//# sourceMappingURL=index.js.map