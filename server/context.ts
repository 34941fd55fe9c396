import type { Logger } from 'pino';
import type { BlobGate } from './blob-gate.js';
import type { SseHub } from '../protocol/runtime/sse-hub.js';
import type { EventLog } from './events/event-log.js';
import type { GarbageCollector } from './gc.js';
import type { ServerMetrics } from './metrics.js';
import type { NodeRegistry } from './nodes/node-registry.js';
import type { BlobStore } from './store/blob-store.js';
import type { ReleaseStore } from './store/release-store.js';

/** What route modules share: the stores, the event machinery, metrics and the blob gate. */
export interface ServerContext {
  blobs: BlobStore;
  releases: ReleaseStore;
  nodes: NodeRegistry;
  events: EventLog;
  broadcaster: SseHub;
  metrics: ServerMetrics;
  gc: GarbageCollector;
  logger: Logger;
  /** Aborts when the server starts closing: long-polls answer at once instead of holding it open. */
  closing: AbortSignal;
  /** Read at each request, so a plugin may install its gate after the routes were registered. */
  gate(): BlobGate;
}
