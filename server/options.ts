import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { SigningKey } from '../protocol/release-signature.js';
import type { ServerTokens } from './auth.js';
import type { BlobGate } from './blob-gate.js';
import type { TlsFiles } from './tls.js';

/** Hands a plugin what it needs to add routes, metrics and a blob gate to the server. */
export interface PluginContext {
  /** The server's Prometheus registry: register the plugin's metrics here. */
  registry: Registry;
  logger: Logger;
  options: Readonly<ResolvedServerOptions>;
  /** Replaces the blob gate every blob transfer route admits requests through. */
  setBlobGate(gate: BlobGate): void;
}

/**
 * Adds routes (with `config: { scope }`, see auth.ts) and hooks to the server before it listens.
 * Its `onClose` hooks run at shutdown.
 */
export type ServerPlugin = (app: FastifyInstance, context: PluginContext) => void | Promise<void>;

/**
 * The server's defaults, written once: `createServer`, the pull meter and the `codesync server`
 * option table (cli/commands/server.ts, from which --help and docs/config.md come) all read them.
 */
export const SERVER_DEFAULTS = {
  host: '0.0.0.0',
  port: 7400,
  keepReleases: 10,
  gcGraceSeconds: 600,
  gcIntervalSeconds: 600,
  heartbeatSeconds: 15,
  eventLogSize: 10_000,
  maxConcurrentPulls: 8,
  /** Bytes per second all blob responses share; 0: no cap. */
  maxBandwidth: 0,
  slotTtlSeconds: 30,
  forgetNodesAfterSeconds: 86_400,
  importTimeoutSeconds: 60,
} as const;

export interface ServerOptions {
  /** Directory of the store: blobs, release records, event log, node reports. Required. */
  dataDir: string;
  /** Address to listen on. Default SERVER_DEFAULTS.host. */
  host?: string;
  /** Port to listen on; 0 picks a free one. Default SERVER_DEFAULTS.port. */
  port?: number;
  /** Bearer tokens by scope; none at all disables auth (development only: warned at start). Default none. */
  tokens?: ServerTokens;
  /** Serve HTTPS with this certificate and key (replaceable later with reloadTls). Default none: plain http, warned at start off loopback. */
  tls?: TlsFiles;
  /** Releases kept per app unless the app sets its own keepReleases. Default SERVER_DEFAULTS. */
  keepReleases?: number;
  /** Unreferenced blobs younger than this (by mtime) survive GC: uploads of a publish in progress. Default SERVER_DEFAULTS. */
  gcGraceSeconds?: number;
  /** Seconds between periodic GC runs (GC also runs after every prune). Default SERVER_DEFAULTS. */
  gcIntervalSeconds?: number;
  /** Seconds between `: hb` comments on event streams. Default SERVER_DEFAULTS. */
  heartbeatSeconds?: number;
  /** Events kept in the log for `Last-Event-ID` resume. Default SERVER_DEFAULTS. */
  eventLogSize?: number;
  /** Pull slots granted at once (docs/throttling.md); read by the pull-slots plugin. Default SERVER_DEFAULTS. */
  maxConcurrentPulls?: number;
  /** Seconds a node may stay silent before it is forgotten (logged, counted); 0 never forgets. Default SERVER_DEFAULTS. */
  forgetNodesAfterSeconds?: number;
  /** Where logs go. Default: pino JSON to stdout at info. */
  logger?: Logger;
  /** Admits blob transfers (pull slots). Default `openGate`: no metering. */
  blobGate?: BlobGate;
  /** Directory an app's importPasswordFile names a file in. Default `<dataDir>/import-passwords`. */
  importPasswordDir?: string;
  /** rsync `--timeout` of an import: seconds without I/O before it fails with IMPORT_TIMEOUT. Default SERVER_DEFAULTS. */
  importTimeoutSeconds?: number;
  /** Extra routes and hooks (pull slots). Default none. */
  plugins?: ServerPlugin[];
  /**
   * Signs the releases rsync imports make (they have no publisher), for operators who choose to
   * have agents trust a key the server holds (docs/security.md). Default none: imports are unsigned.
   */
  importSignKey?: SigningKey;
}

export type ResolvedServerOptions = Required<Omit<ServerOptions, 'tokens' | 'importSignKey' | 'tls'>> & { tokens: ServerTokens | undefined; importSignKey: SigningKey | undefined; tls: TlsFiles | undefined };
