import type { FastifyInstance } from 'fastify';
import { CodesyncError } from '../../protocol/errors.js';
import type { ServerContext } from '../context.js';

/** Liveness, readiness and Prometheus metrics; no token needed. */
export function healthRoutes(context: ServerContext, isClosing: () => boolean) {
  return async (app: FastifyInstance): Promise<void> => {
    const config = { scope: 'public' as const };
    app.get('/healthz', { config }, async () => ({ status: 'ok' }));
    app.get('/readyz', { config }, async () => {
      if (isClosing()) throw new CodesyncError('SHUTTING_DOWN', 'the server is shutting down');
      return { status: 'ready' };
    });
    app.get('/metrics', { config }, async (_request, reply) => {
      reply.type(context.metrics.registry.contentType);
      return context.metrics.registry.metrics();
    });
  };
}
