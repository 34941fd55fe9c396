import { createServer } from 'node:http';
import { CodesyncError, isCodesyncError } from '../../../protocol/errors.js';
import { listenUnix } from './listen-unix.js';
import { registerReloadSocketMetrics } from './metrics.js';
import { activatedFrame, route, sendJson } from './routes.js';
import { SseHub } from '../../../protocol/runtime/sse-hub.js';
import { AppWaiters } from './waiters.js';
import { DEFAULT_SOCKET_PATH } from '../../../protocol/reload-socket.js';
export { DEFAULT_SOCKET_PATH };
/** Serves the node-local socket API of docs/agent.md until `signal` aborts. */
export async function startReloadSocket(options) {
    const path = options.path ?? DEFAULT_SOCKET_PATH;
    const { feed, signal } = options;
    const logger = options.logger.child({ socket: path });
    const hub = new SseHub({ heartbeatMs: (options.heartbeatSeconds ?? 15) * 1000, heartbeatComment: 'heartbeat', maxBufferedBytes: options.maxBufferedBytes ?? 256 * 1024 });
    const waiters = new AppWaiters();
    const context = { feed, hub, waiters, selection: options.selection, maxWaitSeconds: options.maxWaitSeconds ?? 3600 };
    const server = createServer((req, res) => {
        route(req, res, context).catch((err) => sendError(req, res, err, logger));
    });
    // Long-polls and event streams outlive any request timeout by design.
    server.requestTimeout = 0;
    const onActivated = (activated) => {
        hub.publish(activated.app, activatedFrame(activated, false));
        waiters.notify(activated);
    };
    await listenUnix(server, { path, mode: options.mode ?? 0o660, group: options.group });
    feed.on('activated', onActivated);
    if (options.registry)
        registerReloadSocketMetrics(options.registry, hub, feed);
    logger.info({ mode: (options.mode ?? 0o660).toString(8) }, 'reload socket listening');
    let closed;
    const close = () => {
        closed ??= new Promise((resolve) => {
            feed.off('activated', onActivated);
            waiters.closeAll();
            hub.closeAll();
            server.close(() => resolve());
            server.closeAllConnections();
        });
        return closed;
    };
    if (signal.aborted)
        await close();
    else
        signal.addEventListener('abort', () => void close(), { once: true });
    return { path, waiting: () => waiters.size, subscribers: (app) => hub.count(app), close };
}
function sendError(req, res, err, logger) {
    const error = isCodesyncError(err) ? err : new CodesyncError('INTERNAL', 'internal error on the reload socket', { cause: err });
    if (error.code === 'INTERNAL')
        logger.error({ err, method: req.method, url: req.url }, 'reload socket request failed');
    if (res.headersSent) {
        res.destroy();
        return;
    }
    sendJson(res, error.statusCode, error.toJSON());
}
//# sourceMappingURL=reload-socket.js.map