import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Registry } from 'prom-client';
import { CodesyncError } from '../protocol/errors.js';
import { HEADERS } from '../protocol/api.js';
import { LIMITS } from '../protocol/limits.js';
import { hasTokens, registerAuth, TokenSet, type ServerTokens } from './auth.js';
import { isLoopbackHost } from '../protocol/loopback.js';
import { openGate, type BlobGate } from './blob-gate.js';
import type { ServerContext } from './context.js';
import { clientErrorHandler, registerErrorHandler } from './error-handler.js';
import { collectWhenIdle } from './idle-collection.js';
import { capMallocArenas } from '../protocol/runtime/malloc-arenas.js';
import { raiseTieringBudget } from '../protocol/runtime/tiering-budget.js';
import { SseHub, sseFrame } from '../protocol/runtime/sse-hub.js';
import { EventLog, type EventName } from './events/event-log.js';
import { GarbageCollector, type GcResult } from './gc.js';
import { ImportScheduler } from './imports/import-scheduler.js';
import { Importer } from './imports/importer.js';
import { ServerMetrics } from './metrics.js';
import { NodeRegistry } from './nodes/node-registry.js';
import { SERVER_DEFAULTS, type ResolvedServerOptions, type ServerOptions } from './options.js';
import { appRoutes } from './routes/apps.js';
import { blobDownloadRoutes } from './routes/blob-download.js';
import { blobUploadRoutes } from './routes/blob-upload.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { importRoutes } from './routes/imports.js';
import { nodeRoutes } from './routes/nodes.js';
import { packRoutes } from './routes/pack.js';
import { releaseRoutes } from './routes/releases.js';
import { BlobStore } from './store/blob-store.js';
import { DurableFs } from './store/durable-fs.js';
import { ReleaseStore } from './store/release-store.js';
import { loadStoreIdentity } from './store/store-identity.js';
import { summarizeCertificate, type TlsFiles } from './tls.js';

export interface CodesyncServer {
  /** The fastify instance, for `inject` and plugins. */
  readonly app: FastifyInstance;
  readonly registry: Registry;
  /** The store's identity, sent on every response as `x-codesync-store-id`. */
  readonly storeId: string;
  /** Starts listening; resolves with a URL clients can use and logs `{"msg":"listening","url"}`. */
  listen(): Promise<string>;
  /** Stops accepting, ends event streams, waits for requests in flight, closes the store. */
  close(): Promise<void>;
  /** Runs blob garbage collection now. */
  gc(): Promise<GcResult>;
  /**
   * Swaps the accepted tokens at once (rotation without a restart); USAGE when the set is empty
   * or the server was started without tokens (auth cannot be turned on or off while running).
   */
  replaceTokens(tokens: ServerTokens): void;
  /**
   * Serves new connections with another certificate and key (SIGHUP after a renewal); connections
   * already open keep theirs. Only for a server started with `tls`.
   */
  reloadTls(files: TlsFiles): void;
}

/** Seconds an import waits for the rsync daemon to accept (rsync `--contimeout`). */
const IMPORT_CONNECT_TIMEOUT_SECONDS = 10;
/** rsync passes an import runs before a release host that keeps changing fails it (IMPORT_UNSTABLE). */
const IMPORT_MAX_PASSES = 4;
/** An event-stream subscriber that lets this much pile up unread is cut off; it resumes with Last-Event-ID. */
const EVENT_STREAM_MAX_BUFFERED_BYTES = 1 << 20;

function resolveOptions(options: ServerOptions): ResolvedServerOptions {
  return {
    dataDir: options.dataDir,
    host: options.host ?? SERVER_DEFAULTS.host,
    port: options.port ?? SERVER_DEFAULTS.port,
    tokens: options.tokens,
    tls: options.tls,
    keepReleases: options.keepReleases ?? SERVER_DEFAULTS.keepReleases,
    gcGraceSeconds: options.gcGraceSeconds ?? SERVER_DEFAULTS.gcGraceSeconds,
    gcIntervalSeconds: options.gcIntervalSeconds ?? SERVER_DEFAULTS.gcIntervalSeconds,
    heartbeatSeconds: options.heartbeatSeconds ?? SERVER_DEFAULTS.heartbeatSeconds,
    eventLogSize: options.eventLogSize ?? SERVER_DEFAULTS.eventLogSize,
    maxConcurrentPulls: options.maxConcurrentPulls ?? SERVER_DEFAULTS.maxConcurrentPulls,
    forgetNodesAfterSeconds: options.forgetNodesAfterSeconds ?? SERVER_DEFAULTS.forgetNodesAfterSeconds,
    logger: options.logger ?? pino(),
    blobGate: options.blobGate ?? openGate,
    importPasswordDir: options.importPasswordDir ?? join(options.dataDir, 'import-passwords'),
    importTimeoutSeconds: options.importTimeoutSeconds ?? SERVER_DEFAULTS.importTimeoutSeconds,
    plugins: options.plugins ?? [],
    importSignKey: options.importSignKey,
  };
}

/** Builds the release server of docs/api.md on a local store; loads the store before returning. */
export async function createServer(input: ServerOptions): Promise<CodesyncServer> {
  const options = resolveOptions(input);
  const logger = options.logger;
  // Before the store starts its worker threads and the first file operations start libuv's pool.
  capMallocArenas();
  raiseTieringBudget();
  const fs = new DurableFs(options.dataDir);
  await fs.init();
  const identity = await loadStoreIdentity(fs, logger);
  const blobs = new BlobStore(fs);
  const events = new EventLog(options.dataDir, options.eventLogSize);
  events.init();
  const releases = new ReleaseStore(fs, blobs, { keepReleases: options.keepReleases, logger });
  const nodes = new NodeRegistry(fs, logger, { forgetAfterMs: options.forgetNodesAfterSeconds * 1000 });
  await Promise.all([blobs.init(), releases.init(), nodes.init()]);
  const metrics = new ServerMetrics({ releases, nodes, blobs });
  const gc = new GarbageCollector(releases, blobs, { graceMs: options.gcGraceSeconds * 1000, intervalMs: options.gcIntervalSeconds * 1000, logger });
  const importer = new Importer({
    importDir: join(options.dataDir, 'imports'),
    passwordDir: options.importPasswordDir,
    timeoutSeconds: options.importTimeoutSeconds,
    connectTimeoutSeconds: IMPORT_CONNECT_TIMEOUT_SECONDS,
    maxPasses: IMPORT_MAX_PASSES,
    signKey: options.importSignKey,
    blobs,
    releases,
    metrics,
    logger,
  });
  const imports = new ImportScheduler(importer, releases, logger);
  const broadcaster = new SseHub({
    heartbeatMs: options.heartbeatSeconds * 1000,
    heartbeatComment: 'hb',
    maxBufferedBytes: EVENT_STREAM_MAX_BUFFERED_BYTES,
    onCountChange: (count) => metrics.eventSubscribers.set(count),
  });
  const publishEvent = (event: EventName, app: string, data: unknown) => {
    try {
      const stored = events.append(event, app, data);
      broadcaster.publish(app, sseFrame(stored.event, stored.data, stored.id));
    } catch (err) {
      // The release itself is durable; clients that miss the event catch up when they re-list.
      logger.error({ err, app, event }, 'could not record event');
    }
  };
  releases.listen({
    released: (release) => {
      metrics.releasesPublished.inc({ app: release.app });
      publishEvent('release', release.app, { app: release.app, seq: release.seq, digest: release.digest, createdAt: release.createdAt });
    },
    appChanged: (info) => {
      publishEvent('app', info.name, info);
      imports.refresh(info.name);
    },
    appDeleted: (name) => {
      publishEvent('app-deleted', name, { name });
      imports.forget(name);
    },
    pruned: () => gc.scheduleAfterPrune(),
  });
  nodes.changes.on('forgotten', () => metrics.nodesForgotten.inc());
  if (options.importSignKey) logger.info({ keyId: options.importSignKey.keyId }, 'rsync imports are signed with this key');
  let gate: BlobGate = options.blobGate;
  const closingController = new AbortController();
  const context: ServerContext = { blobs, releases, nodes, events, broadcaster, metrics, gc, logger, closing: closingController.signal, gate: () => gate };

  // Typed as the plain http instance: routes and hooks do not differ, only listen() and reloadTls() care.
  const app = Fastify({
    ...(options.tls ? { https: { cert: options.tls.cert, key: options.tls.key } } : {}),
    loggerInstance: logger as FastifyBaseLogger,
    // Fastify's per-request info lines are replaced by one debug line per response (below).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: LIMITS.maxJsonBytes,
    return503OnClosing: false,
    clientErrorHandler,
  });
  let closing = false;
  registerErrorHandler(app);
  app.addHook('onRequest', async (_request, reply) => {
    // On the raw response, so hijacked ones (event streams) and errors carry it too.
    reply.raw.setHeader(HEADERS.storeId, identity.id);
  });
  app.addHook('onRequest', async () => {
    if (closing) throw new CodesyncError('SHUTTING_DOWN', 'the server is shutting down');
  });
  const tokenSet = hasTokens(options.tokens) ? new TokenSet(options.tokens) : undefined;
  if (tokenSet) registerAuth(app, tokenSet);
  else logger.warn('no tokens configured: every client may publish (development only; use --token-list)');
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug({ method: request.method, url: request.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request done');
  });
  collectWhenIdle(app);
  await app.register(healthRoutes(context, () => closing));
  await app.register(appRoutes(context));
  await app.register(releaseRoutes(context));
  await app.register(blobUploadRoutes(context));
  await app.register(blobDownloadRoutes(context));
  await app.register(packRoutes(context));
  await app.register(eventRoutes(context));
  await app.register(nodeRoutes(context));
  await app.register(importRoutes(imports));
  const pluginContext = { registry: metrics.registry, logger, options, setBlobGate: (next: BlobGate) => (gate = next) };
  for (const plugin of options.plugins) await app.register(async (scope) => plugin(scope, pluginContext));

  app.addHook('preClose', async () => {
    closing = true;
    closingController.abort();
    // Event streams never end on their own; ending them lets close() wait only for real requests.
    broadcaster.closeAll();
  });
  app.addHook('onClose', async () => {
    await Promise.all([gc.stop(), imports.stop()]);
    await blobs.close();
    nodes.stop();
    events.close();
  });

  return {
    app,
    registry: metrics.registry,
    storeId: identity.id,
    async listen() {
      await app.listen({ host: options.host, port: options.port });
      const address = app.server.address() as AddressInfo;
      const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
      const url = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
      gc.start();
      imports.start();
      logger.info({ url, dataDir: options.dataDir, storeId: identity.id, auth: hasTokens(options.tokens), tls: options.tls ? summarizeCertificate(options.tls.cert) : false }, 'listening');
      if (!options.tls && !isLoopbackHost(options.host)) {
        logger.warn({ host: options.host }, 'serving plain http off loopback: tokens and trees cross the network unencrypted unless TLS ends at an ingress in front (see docs/security.md, Transport; --tls-cert/--tls-key)');
      }
      return url;
    },
    close: () => app.close(),
    gc: () => gc.run(),
    replaceTokens(tokens) {
      if (!tokenSet) throw new CodesyncError('USAGE', 'the server runs without tokens; start it with --token-list to rotate them');
      tokenSet.replace(tokens);
    },
    reloadTls(files) {
      if (!options.tls) throw new CodesyncError('USAGE', 'this server was started without TLS: there is no certificate to reload');
      (app.server as unknown as HttpsServer).setSecureContext({ cert: files.cert, key: files.key });
      logger.info({ tls: summarizeCertificate(files.cert) }, 'TLS certificate reloaded');
    },
  };
}
