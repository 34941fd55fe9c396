import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';
import { API_PREFIX, MEDIA_TYPES, type AppInfo, type AppSpec, type AppStatus, type PublishRequest, type PublishResponse, type ReleaseSummary } from '../protocol/api.js';
import { CodesyncError, isErrorCode } from '../protocol/errors.js';
import { usageError } from './fail.js';

export interface ApiClientOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:7400`. */
  server: string;
  /** Bearer token; none sends no Authorization header. */
  token?: string | undefined;
  /** Connections kept to the server; uploads run this many requests at once at most. */
  connections?: number;
}

/** The outcome of posting a manifest: published, or the blobs the server still lacks. */
export type ManifestOutcome = { published: PublishResponse } | { missing: string[] };

/** Result of `POST /v1/apps/{app}/imports`. */
export type ImportResponse = PublishResponse | { unchanged: true; seq?: number; digest?: string };

interface CallOptions {
  signal: AbortSignal;
  body?: string | Buffer | Readable;
  contentType?: string;
  contentLength?: number;
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);

/**
 * The typed HTTP client of the server's API v1 (DESIGN §3) that publish, status, rollback and
 * `up` use. Every call takes an AbortSignal; error bodies become CodesyncErrors with the server's
 * code; failing to reach the server is SERVER_UNREACHABLE.
 */
export class ApiClient {
  readonly origin: string;
  private readonly basePath: string;
  private readonly token: string | undefined;
  private readonly dispatcher: Dispatcher;

  constructor(options: ApiClientOptions) {
    let url: URL;
    try {
      url = new URL(options.server);
    } catch {
      throw usageError(`--server must be a URL such as http://host:7400, got ${JSON.stringify(options.server)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usageError(`--server must be an http(s) URL, got ${JSON.stringify(options.server)}`);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.token = options.token;
    // Long uploads of big blobs must not trip undici's 300 s body timeout defaults mid-stream.
    this.dispatcher = new Agent({ connections: options.connections ?? 8, headersTimeout: 0, bodyTimeout: 0 });
  }

  /** POSTs a manifest; 409 BLOBS_MISSING becomes `{missing}`, not an error. */
  async publishManifest(app: string, manifest: PublishRequest, signal: AbortSignal): Promise<ManifestOutcome> {
    return this.publishManifestJson(app, JSON.stringify(manifest), signal);
  }

  /**
   * publishManifest with the JSON already encoded: a big manifest posted twice is encoded once.
   * With `create`, an app that does not exist yet is created with that spec.
   */
  async publishManifestJson(app: string, body: string, signal: AbortSignal, create?: AppSpec): Promise<ManifestOutcome> {
    try {
      const path = `/apps/${encodeURIComponent(app)}/releases${create ? `?${createQuery(create)}` : ''}`;
      const published = await this.call<PublishResponse>('POST', path, { signal, body, contentType: MEDIA_TYPES.json });
      return { published };
    } catch (err) {
      if (err instanceof CodesyncError && err.code === 'BLOBS_MISSING' && Array.isArray(err.details?.missing)) {
        return { missing: err.details.missing as string[] };
      }
      throw err;
    }
  }

  /** Uploads one blob; the server verifies `sha256` before keeping it. */
  async putBlob(sha256: string, body: Readable | Buffer, size: number, signal: AbortSignal): Promise<void> {
    await this.call('PUT', `/blobs/${sha256}`, { signal, body, contentType: MEDIA_TYPES.octetStream, contentLength: size });
  }

  /** Uploads many blobs as one tar stream whose entries are named by their sha256. */
  async postBlobs(tar: Readable, signal: AbortSignal): Promise<void> {
    await this.call('POST', '/blobs', { signal, body: tar, contentType: MEDIA_TYPES.tar });
  }

  /** Creates the app, or updates the fields `spec` sets. */
  async putApp(app: string, spec: AppSpec, signal: AbortSignal): Promise<AppInfo> {
    return this.call<AppInfo>('PUT', `/apps/${encodeURIComponent(app)}`, { signal, body: JSON.stringify(spec), contentType: MEDIA_TYPES.json });
  }

  async getApp(app: string, signal: AbortSignal): Promise<AppInfo> {
    return this.call<AppInfo>('GET', `/apps/${encodeURIComponent(app)}`, { signal });
  }

  async deleteApp(app: string, signal: AbortSignal): Promise<void> {
    await this.call('DELETE', `/apps/${encodeURIComponent(app)}`, { signal });
  }

  /** Retained releases, newest first. */
  async listReleases(app: string, signal: AbortSignal): Promise<ReleaseSummary[]> {
    return this.call<ReleaseSummary[]>('GET', `/apps/${encodeURIComponent(app)}/releases`, { signal });
  }

  async listApps(signal: AbortSignal): Promise<AppInfo[]> {
    const body = await this.call<AppInfo[] | { apps: AppInfo[] }>('GET', '/apps', { signal });
    return Array.isArray(body) ? body : body.apps;
  }

  /** The rollout view; with `rollout`, also how far release `seq` has come, held up to `wait` seconds until settled. */
  async appStatus(app: string, signal: AbortSignal, rollout?: { seq?: number | undefined; waitSeconds: number; acks: boolean }): Promise<AppStatus> {
    const query = new URLSearchParams();
    if (rollout?.seq !== undefined) query.set('seq', String(rollout.seq));
    if (rollout) query.set('wait', String(rollout.waitSeconds));
    if (rollout?.acks) query.set('acks', '1');
    const suffix = query.size > 0 ? `?${query.toString()}` : '';
    return this.call<AppStatus>('GET', `/apps/${encodeURIComponent(app)}/status${suffix}`, { signal });
  }

  async rollback(app: string, toSeq: number | undefined, signal: AbortSignal): Promise<PublishResponse> {
    const body = JSON.stringify(toSeq === undefined ? {} : { toSeq });
    return this.call<PublishResponse>('POST', `/apps/${encodeURIComponent(app)}/rollback`, { signal, body, contentType: MEDIA_TYPES.json });
  }

  async importTree(app: string, source: string, meta: Record<string, string>, signal: AbortSignal): Promise<ImportResponse> {
    const body = JSON.stringify({ source, meta });
    return this.call<ImportResponse>('POST', `/apps/${encodeURIComponent(app)}/imports`, { signal, body, contentType: MEDIA_TYPES.json });
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  /** One request: JSON (or nothing) back on 2xx, a CodesyncError otherwise. */
  async call<T = unknown>(method: Dispatcher.HttpMethod, path: string, options: CallOptions): Promise<T> {
    const what = `${method} ${API_PREFIX}${path}`;
    const headers: Record<string, string> = { accept: MEDIA_TYPES.json };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (options.contentType) headers['content-type'] = options.contentType;
    if (options.contentLength !== undefined) headers['content-length'] = String(options.contentLength);
    let response: Dispatcher.ResponseData;
    try {
      response = await request(`${this.origin}${this.basePath}${API_PREFIX}${path}`, {
        method,
        headers,
        body: options.body ?? null,
        signal: options.signal,
        dispatcher: this.dispatcher,
      });
    } catch (err) {
      throw requestFailure(err, options.signal, what, this.origin);
    }
    const text = await response.body.text().catch((err: unknown) => {
      throw requestFailure(err, options.signal, what, this.origin);
    });
    if (response.statusCode >= 200 && response.statusCode < 300) return (text ? JSON.parse(text) : undefined) as T;
    throw errorFromResponse(response.statusCode, text, what);
  }
}

/** `create=1&selector=…&keepReleases=…` of a publish that may create its app (docs/api.md). */
function createQuery(spec: AppSpec): string {
  const query = new URLSearchParams({ create: '1' });
  if (spec.nodeSelector !== undefined) query.set('selector', spec.nodeSelector);
  if (spec.keepReleases !== undefined) query.set('keepReleases', String(spec.keepReleases));
  return query.toString();
}

function requestFailure(err: unknown, signal: AbortSignal, what: string, origin: string): CodesyncError {
  if (signal.aborted) return new CodesyncError('ABORTED', `${what} aborted`, { cause: err });
  if (err instanceof CodesyncError) return err;
  const code = (err as { code?: unknown })?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) {
    return new CodesyncError('SERVER_UNREACHABLE', `cannot reach ${origin} (${what}): ${message.includes(code) ? message : `${code} ${message}`}`, { cause: err });
  }
  return new CodesyncError('SERVER_ERROR', `${what} failed: ${message}`, { cause: err });
}

/** Maps `{"error": {code, message}, ...details}` to a CodesyncError with the server's code. */
function errorFromResponse(status: number, text: string, what: string): CodesyncError {
  let body: { error?: { code?: unknown; message?: unknown } } & Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Not JSON (a proxy's HTML page, say): fall through to a status-based error.
  }
  const { error, ...details } = body;
  const message = typeof error?.message === 'string' ? error.message : `${what} answered HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`;
  if (isErrorCode(error?.code)) return new CodesyncError(error.code, message, { details });
  // A gateway's answer (nginx, a load balancer) while the server behind it restarts: it is not reachable yet.
  if (status === 502 || status === 503 || status === 504) return new CodesyncError('SERVER_UNREACHABLE', message, { details });
  return new CodesyncError('SERVER_ERROR', `${typeof error?.code === 'string' ? `${error.code}: ` : ''}${message}`, { details });
}

/** The token from `--token`, else the file named by `--token-file` (trimmed), else none. */
export function resolveToken(options: { token?: string | undefined; tokenFile?: string | undefined }): string | undefined {
  if (options.token) return options.token;
  if (!options.tokenFile) return undefined;
  try {
    const token = readFileSync(options.tokenFile, 'utf8').trim();
    if (!token) throw usageError(`--token-file ${options.tokenFile} is empty`);
    return token;
  } catch (err) {
    if (err instanceof CodesyncError) throw err;
    throw usageError(`cannot read --token-file ${options.tokenFile}: ${(err as Error).message}`);
  }
}
