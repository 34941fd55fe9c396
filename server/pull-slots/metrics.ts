import { Gauge, Histogram, type Registry } from 'prom-client';
import type { SlotQueueStats } from './slot-queue.js';

/** The pull meter's metrics (docs/api.md#health-and-metrics), on the server's registry. */
export interface PullMeterMetrics {
  queueChanged(stats: SlotQueueStats): void;
  slotGranted(waitedSeconds: number): void;
  /** Returns the number of blob streams open after this one opened. */
  streamOpened(): number;
  /** Returns the number of blob streams still open. */
  streamClosed(): number;
}

/** Waits run from milliseconds (idle server) to minutes (a herd behind few slots). */
const WAIT_BUCKETS = [0.005, 0.05, 0.25, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

export function createPullMeterMetrics(registry: Registry): PullMeterMetrics {
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
      if (streams > most) peak.set((most = streams));
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
function gauge(registry: Registry, name: string, help: string): Gauge {
  return (registry.getSingleMetric(name) as Gauge | undefined) ?? new Gauge({ name, help, registers: [registry] });
}

function histogram(registry: Registry, name: string, help: string): Histogram {
  return (registry.getSingleMetric(name) as Histogram | undefined) ?? new Histogram({ name, help, buckets: WAIT_BUCKETS, registers: [registry] });
}
