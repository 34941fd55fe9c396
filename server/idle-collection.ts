import type { FastifyInstance } from 'fastify';
import { HeapRelease } from '../protocol/runtime/heap-release.js';

/** Quiet time after the last request before the server collects what the work left. */
const SETTLE_MS = 2_000;

/**
 * One full collection once requests settle (protocol/runtime/heap-release.ts): a cold publish or
 * a burst of pulls leaves tens of MB of garbage heap and the upload buffers it points at, which an
 * idle server would hold indefinitely. Every request start and end pushes the collection back, so
 * it runs in a lull, never between the requests of a burst; event streams, which never end,
 * do not hold it off.
 */
export function collectWhenIdle(app: FastifyInstance): void {
  const release = new HeapRelease();
  const arm = async (): Promise<void> => release.releaseAfter(SETTLE_MS);
  app.addHook('onRequest', arm);
  app.addHook('onResponse', arm);
  app.addHook('onClose', async () => release.cancel());
}
