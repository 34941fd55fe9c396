import { CodesyncError } from '../../protocol/errors.js';
/** Liveness, readiness and Prometheus metrics; no token needed. */
export function healthRoutes(context, isClosing) {
    return async (app) => {
        const config = { scope: 'public' };
        app.get('/healthz', { config }, async () => ({ status: 'ok' }));
        app.get('/readyz', { config }, async () => {
            if (isClosing())
                throw new CodesyncError('SHUTTING_DOWN', 'the server is shutting down');
            return { status: 'ready' };
        });
        app.get('/metrics', { config }, async (_request, reply) => {
            reply.type(context.metrics.registry.contentType);
            return context.metrics.registry.metrics();
        });
    };
}
//# sourceMappingURL=health.js.map