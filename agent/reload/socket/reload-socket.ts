import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import { CodesyncError, isCodesyncError } from '../../../protocol/errors.js';
import type { ActiveRelease } from '../../../protocol/reload-socket.js';
import type { ActivationSource } from './activation-source.js';
import { listenUnix } from './listen-unix.js';
import { registerReloadSocketMetrics } from './metrics.js';
import { activatedFrame, route, sendJson, type AppSelection } from './routes.js';
import { SseHub } from '../../../protocol/runtime/sse-hub.js';
import { AppWaiters } from './waiters.js';
import { DEFAULT_SOCKET_PATH } from '../../../protocol/reload-socket.js';

export { DEFAULT_SOCKET_PATH };

export interface ReloadSocketOptions {
  /** Unix socket path (docs/agent.md); its directory is created 0755 when missing. */
  path?: string;
  /** Permission bits of the socket file. */
  mode?: number;
  /** Group name or gid given the socket file, so pods running under that group may connect. */
  group?: string | number | undefined;
  feed: ActivationSource;
  logger: Logger;
  /** Aborting closes the socket, ends every stream and answers pending waits. */
  signal: AbortSignal;
  /** Registers `codesync_agent_reload_subscribers` here when given. */
  registry?: Registry | undefined;
  /** The app's selector against this node's labels, so a wait on an excluded node fails at once. */
  selection?: ((app: string) => AppSelection | undefined) | undefined;
  /** Longest wait a client may ask for, in seconds. */
  maxWaitSeconds?: number;
  /** Seconds between SSE heartbeat comments (default 15). */
  heartbeatSeconds?: number;
  /** Unread bytes after which a subscriber is dropped (default 256 KiB). */
  maxBufferedBytes?: number;
}

export interface ReloadSocket {
  path: string;
  /** Long-polls waiting for an app right now. */
  waiting(): number;
  /** Subscribers currently following `app`. */
  subscribers(app: string): number;
  /** Stops listening, ends streams and waits, and removes the socket file. */
  close(): Promise<void>;
}

/** Serves the node-local socket API of docs/agent.md until `signal` aborts. */
export async function startReloadSocket(options: ReloadSocketOptions): Promise<ReloadSocket> {
  const path = options.path ?? DEFAULT_SOCKET_PATH;
  const { feed, signal } = options;
  const logger = options.logger.child({ socket: path });
  const hub = new SseHub({ heartbeatMs: (options.heartbeatSeconds ?? 15) * 1000, heartbeatComment: 'heartbeat', maxBufferedBytes: options.maxBufferedBytes ?? 256 * 1024 });
  const waiters = new AppWaiters();
  const context = { feed, hub, waiters, selection: options.selection, maxWaitSeconds: options.maxWaitSeconds ?? 3600 };

  const server = createServer((req, res) => {
    route(req, res, context).catch((err: unknown) => sendError(req, res, err, logger));
  });
  // Long-polls and event streams outlive any request timeout by design.
  server.requestTimeout = 0;
  const onActivated = (activated: ActiveRelease) => {
    hub.publish(activated.app, activatedFrame(activated, false));
    waiters.notify(activated);
  };

  await listenUnix(server, { path, mode: options.mode ?? 0o660, group: options.group });
  feed.on('activated', onActivated);
  if (options.registry) registerReloadSocketMetrics(options.registry, hub, feed);
  logger.info({ mode: (options.mode ?? 0o660).toString(8) }, 'reload socket listening');

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve) => {
      feed.off('activated', onActivated);
      waiters.closeAll();
      hub.closeAll();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };
  if (signal.aborted) await close();
  else signal.addEventListener('abort', () => void close(), { once: true });
  return { path, waiting: () => waiters.size, subscribers: (app) => hub.count(app), close };
}

function sendError(req: IncomingMessage, res: ServerResponse, err: unknown, logger: Logger): void {
  const error = isCodesyncError(err) ? err : new CodesyncError('INTERNAL', 'internal error on the reload socket', { cause: err });
  if (error.code === 'INTERNAL') logger.error({ err, method: req.method, url: req.url }, 'reload socket request failed');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, error.statusCode, error.toJSON());
}
