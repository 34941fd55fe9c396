import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify';
import { Registry } from 'prom-client';
import type { BlobGate } from '../blob-gate.js';
import { SERVER_DEFAULTS } from '../options.js';
import { Bandwidth } from './bandwidth.js';
import { createPullMeterMetrics } from './metrics.js';
import { pullSlotRoutes } from './routes.js';
import { createMeteredGate } from './slot-gate.js';
import { SlotQueue } from './slot-queue.js';

export { SlotQueue } from './slot-queue.js';

/** Default small-pull threshold: a hotfix of a few files, well under what a cold node fetches. */
const SMALL_PULL_BYTES = 1024 * 1024;

export interface PullMeterOptions {
  /** Pull slots granted at once (`--max-concurrent-pulls`); 0 turns slots off. Default SERVER_DEFAULTS. */
  maxConcurrentPulls?: number;
  /** Bytes per second all blob responses share (`--max-bandwidth`); 0 means no cap. Default SERVER_DEFAULTS. */
  maxBandwidth?: number;
  /** Seconds a slot lives without a blob request or renewal (`--slot-ttl`). Default SERVER_DEFAULTS. */
  slotTtlSeconds?: number;
  /**
   * Updates of at most this many bytes are small pulls, served first with a lane of as many slots
   * again (docs/throttling.md): a hotfix never waits behind a scale-up. Default 1 MiB; 0: no lane.
   */
  smallPullBytes?: number;
  /** The server's registry, so the meter's metrics show on its `/metrics`. Default: a private one. */
  registry?: Registry;
  /** Where grants and expiries are logged. Default: the logger of the instance the routes join. */
  logger?: FastifyBaseLogger;
}

/** What the server wires in: the gate its blob routes call, and the slot routes to register. */
export interface PullMeter {
  /** Pass as the server's `blobGate`. */
  readonly gate: BlobGate;
  /** Register with `server.register(meter.routes)`; answers 404 (no routes) when slots are off. */
  readonly routes: FastifyPluginAsync;
  /** The queue, undefined when slots are off. */
  readonly queue: SlotQueue | undefined;
  /** Stops the queue's sweeper (call on server close). */
  close(): void;
}

/**
 * Pull metering of docs/throttling.md: at most N nodes pull blobs at once, the rest wait in a fair queue,
 * and an optional bandwidth cap paces every blob byte the server sends.
 */
export function createPullMeter(options: PullMeterOptions = {}): PullMeter {
  const maxConcurrent = options.maxConcurrentPulls ?? SERVER_DEFAULTS.maxConcurrentPulls;
  const metrics = createPullMeterMetrics(options.registry ?? new Registry());
  let log = options.logger;
  const queue =
    maxConcurrent > 0
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
      if (queue) await instance.register(pullSlotRoutes, { queue });
    },
    queue,
    close: () => queue?.close(),
  };
}
