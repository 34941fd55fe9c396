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

export interface ServerOptions {
  /** Directory of the store: blobs, release records, event log, node reports. Required. */
  dataDir: string;
  /** Address to listen on. Default `0.0.0.0`. */
  host?: string;
  /** Port to listen on; 0 picks a free one. Default 7400. */
  port?: number;
  /** Bearer tokens by scope; none at all disables auth (development only: warned at start). Default none. */
  tokens?: ServerTokens;
  /** Serve HTTPS with this certificate and key (replaceable later with reloadTls). Default none: plain http, warned at start off loopback. */
  tls?: TlsFiles;
  /** Releases kept per app unless the app sets its own keepReleases. Default 10. */
  keepReleases?: number;
  /** Unreferenced blobs younger than this (by mtime) survive GC: uploads of a publish in progress. Default 600. */
  gcGraceSeconds?: number;
  /** Seconds between periodic GC runs (GC also runs after every prune). Default 600. */
  gcIntervalSeconds?: number;
  /** Seconds between `: hb` comments on event streams. Default 15. */
  heartbeatSeconds?: number;
  /** Events kept in the log for `Last-Event-ID` resume. Default 10 000. */
  eventLogSize?: number;
  /** Pull slots granted at once (docs/throttling.md); read by the pull-slots plugin. Default 8. */
  maxConcurrentPulls?: number;
  /** Seconds a node may stay silent before it is forgotten (logged, counted); 0 never forgets. Default 86 400 (24 h). */
  forgetNodesAfterSeconds?: number;
  /** Where logs go. Default: pino JSON to stdout at info. */
  logger?: Logger;
  /** Admits blob transfers (pull slots). Default `openGate`: no metering. */
  blobGate?: BlobGate;
  /** Directory an app's importPasswordFile names a file in. Default `<dataDir>/import-passwords`. */
  importPasswordDir?: string;
  /** rsync `--timeout` of an import: seconds without I/O before it fails with IMPORT_TIMEOUT. Default 60. */
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
