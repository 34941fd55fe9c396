import { rootCertificates } from 'node:tls';
import type { Readable } from 'node:stream';
import type { TSchema, Static } from '@sinclair/typebox';
import { Agent, interceptors, type Dispatcher } from 'undici';
import {
  AppInfoSchema, AppListSchema, NodeListSchema, AppStatusSchema, HEADERS, ImportResponseSchema, MEDIA_TYPES, MissingBlobsSchema, PublishResponseSchema, PullSlotGrantSchema,
  PullSlotQueuedSchema, ReleaseDeltaResponseSchema, ReleaseListSchema, ReleaseManifestResponseSchema, UncheckedAppListSchema,
  type AppInfo, type AppSpec, type AppStatus, type ImportResponse, type ReleaseSummary, type NodeReport, type NodeSummary, type PublishRequest, type PullSlotGrant, type PullSlotRequest, type ReleaseDeltaResponse, type ReleaseManifestResponse,
} from '../api.js';
import { CodesyncError } from '../errors.js';
import { isLoopbackHost } from '../loopback.js';
import { readBounded, type ResponseBody } from './bounded-body.js';
import { errorFromResponse, transportError } from './error-mapping.js';
import { checkResponse, parseResponse } from './response-check.js';
import { RESPONSE_LIMITS } from './response-limits.js';
import { routes } from './routes.js';

/** Timeouts of every request, in milliseconds (docs/api.md, "Client timeouts"); 0 means none. */
export interface ClientTimeouts {
  /** To open a connection, TLS handshake included. */
  connectMs: number;
  /** From the request sent (or the last upload byte written) to the response headers. */
  headersMs: number;
  /** Between two chunks of a response body. */
  bodyIdleMs: number;
  /** Headers after an upload or publish: the server hashes, fsyncs and validates before answering. */
  uploadHeadersMs: number;
  /** Headers after `POST .../imports`: the server runs a whole rsync import first. */
  importHeadersMs: number;
  /** Between two chunks of the event stream: three missed 15 s heartbeats mean a dead connection. */
  eventStreamIdleMs: number;
}

export const DEFAULT_TIMEOUTS: ClientTimeouts = {
  connectMs: 10_000,
  headersMs: 60_000,
  bodyIdleMs: 60_000,
  uploadHeadersMs: 10 * 60_000,
  importHeadersMs: 60 * 60_000,
  eventStreamIdleMs: 45_000,
};

export interface ApiClientOptions {
  /** Base URL of the server, `http://` or `https://`, e.g. `https://codesync:7400`. */
  server: string;
  /** Bearer token; none sends no Authorization header. */
  token?: string | undefined;
  /** PEM certificates of a private CA (`--ca-file`), trusted next to the system's roots. */
  ca?: string | undefined;
  /** Connections kept to the server. Default 8. */
  connections?: number | undefined;
  /** Overrides of DEFAULT_TIMEOUTS. */
  timeouts?: Partial<ClientTimeouts> | undefined;
  /** Retries of idempotent JSON reads after a network error or a 502/503/504. Default 2. */
  retries?: number | undefined;
}

/** The outcome of posting a manifest: published, or the blobs the server still lacks. */
export type ManifestOutcome = { published: Static<typeof PublishResponseSchema> } | { missing: string[] };

/** The outcome of asking for a pull slot. */
export type PullSlotAnswer =
  | { kind: 'granted'; grant: PullSlotGrant }
  | { kind: 'queued'; retryAfterMs: number; position: number | undefined }
  /** The server does not meter pulls (404): transfers need no slot. */
  | { kind: 'unmetered' };

/** An answer and the store it came from: a store wiped and recreated counts seqs from 1 again. */
export interface FromStore<T> {
  body: T;
  storeId: string | undefined;
}

/** A streamed 2xx body; the caller reads it to the end or destroys it. */
export type StreamBody = Dispatcher.ResponseData['body'];

interface Call {
  method: Dispatcher.HttpMethod;
  signal: AbortSignal;
  body?: string | Buffer | Readable | undefined;
  contentType?: string | undefined;
  contentLength?: number | undefined;
  headers?: Record<string, string> | undefined;
  headersTimeout?: number | undefined;
  bodyTimeout?: number | undefined;
  /** Safe to send again: goes through the retry interceptor. */
  idempotent?: boolean | undefined;
  /** Bytes of an error body read; RESPONSE_LIMITS.error unless a route's errors carry lists. */
  errorMaxBytes?: number | undefined;
  /** Statuses the caller reads itself instead of getting a CodesyncError. */
  pass?: readonly number[] | undefined;
}

/** Headers of a long-poll may take this long past the wait the request asked the server for. */
const LONG_POLL_SLACK_MS = 30_000;

/**
 * The one client of the server's API v1 (docs/api.md), for the CLI and the agent alike: a route
 * builder per endpoint, every answer size-bounded and checked against the protocol's schemas before
 * it is returned, every failure a CodesyncError (one mapping, error-mapping.ts), an AbortSignal and
 * timeouts on every call. JSON reads that are safe to repeat retry through undici's retry
 * interceptor; everything else fails at once and leaves retrying to the caller, who knows whether
 * it may.
 */
export class ApiClient {
  readonly origin: string;
  readonly timeouts: ClientTimeouts;
  private readonly base: string;
  private readonly token: string | undefined;
  private readonly agent: Agent;
  private readonly retrying: Dispatcher;

  constructor(options: ApiClientOptions) {
    const url = parseServerUrl(options.server);
    this.origin = url.origin;
    this.base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    this.token = options.token;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.agent = new Agent({
      connections: options.connections ?? 8,
      headersTimeout: this.timeouts.headersMs,
      bodyTimeout: this.timeouts.bodyIdleMs,
      // Node's `ca` replaces the system roots; keeping both lets one client reach a server behind
      // a public ingress and one with a private CA.
      connect: { timeout: this.timeouts.connectMs, ...(options.ca ? { ca: [...rootCertificates, options.ca] } : {}) },
    });
    this.retrying = this.agent.compose(
      interceptors.retry({
        maxRetries: options.retries ?? 2,
        minTimeout: 500,
        maxTimeout: 5_000,
        methods: ['GET', 'HEAD'],
        statusCodes: [502, 503, 504],
        // The last answer reaches the caller with its body, so its error code is not lost.
        throwOnError: false,
      }),
    );
  }

  /** True when requests cross the network unencrypted: plain http to a host that is not loopback. */
  get plainHttpOffLoopback(): boolean {
    const url = new URL(this.origin);
    return url.protocol === 'http:' && !isLoopbackHost(url.hostname);
  }

  // --- apps -----------------------------------------------------------------------------------

  async listApps(signal: AbortSignal): Promise<AppInfo[]> {
    return this.json(AppListSchema, routes.apps(), { method: 'GET', signal, idempotent: true }, RESPONSE_LIMITS.list);
  }

  /**
   * `GET /v1/apps` with each entry left for the caller to check on its own (the agent refuses one
   * bad app, not the list), and the store it came from.
   */
  async appListing(signal: AbortSignal): Promise<FromStore<unknown[]>> {
    return this.jsonFromStore(UncheckedAppListSchema, routes.apps(), { method: 'GET', signal, idempotent: true }, RESPONSE_LIMITS.list);
  }

  async getApp(app: string, signal: AbortSignal): Promise<AppInfo> {
    return this.json(AppInfoSchema, routes.app(app), { method: 'GET', signal, idempotent: true });
  }

  async putApp(app: string, spec: AppSpec, signal: AbortSignal): Promise<AppInfo> {
    return this.json(AppInfoSchema, routes.app(app), { method: 'PUT', signal, ...jsonBody(spec) });
  }

  /** Deletes the app and its releases (the server keeps its seq, so a new app of that name never reuses one). */
  async deleteApp(app: string, signal: AbortSignal): Promise<void> {
    await this.discard(routes.app(app), { method: 'DELETE', signal });
  }

  /** The rollout view; with `rollout`, also how far release `seq` has come, held up to `waitSeconds` until settled. */
  async appStatus(app: string, signal: AbortSignal, rollout?: { seq?: number | undefined; waitSeconds: number; acks: boolean }): Promise<AppStatus> {
    const call: Call = { method: 'GET', signal, idempotent: true, ...(rollout ? { headersTimeout: rollout.waitSeconds * 1000 + LONG_POLL_SLACK_MS } : {}) };
    return (await this.json(AppStatusSchema, routes.status(app, rollout), call, RESPONSE_LIMITS.list)) as AppStatus;
  }

  // --- releases -------------------------------------------------------------------------------

  async listReleases(app: string, signal: AbortSignal): Promise<ReleaseSummary[]> {
    return this.json(ReleaseListSchema, routes.releases(app), { method: 'GET', signal, idempotent: true }, RESPONSE_LIMITS.list);
  }

  /** A release's full manifest and its store; its entries still have to pass the manifest rules. */
  async manifest(app: string, seq: number, signal: AbortSignal): Promise<FromStore<ReleaseManifestResponse>> {
    return this.jsonFromStore(ReleaseManifestResponseSchema, routes.manifest(app, seq), { method: 'GET', signal, idempotent: true }, RESPONSE_LIMITS.manifest);
  }

  /** What turns release `base` into `seq`, and its store; its lists still have to pass validation with the base. */
  async manifestDelta(app: string, seq: number, base: number, signal: AbortSignal): Promise<FromStore<ReleaseDeltaResponse>> {
    return this.jsonFromStore(ReleaseDeltaResponseSchema, routes.manifest(app, seq, base), { method: 'GET', signal, idempotent: true }, RESPONSE_LIMITS.manifest);
  }

  /** POSTs a manifest; 409 BLOBS_MISSING becomes `{missing}`, not an error. With `create`, a missing app is created with that spec. */
  async publishManifest(app: string, manifest: PublishRequest, signal: AbortSignal, create?: AppSpec): Promise<ManifestOutcome> {
    return this.publishManifestJson(app, JSON.stringify(manifest), signal, create);
  }

  /** publishManifest with the JSON already encoded: a big manifest posted twice is encoded once. */
  async publishManifestJson(app: string, body: string, signal: AbortSignal, create?: AppSpec): Promise<ManifestOutcome> {
    const route = create ? routes.releasesCreating(app, create) : routes.releases(app);
    const what = `POST ${route}`;
    // A 409 is read as the answer it is (which blobs to upload), not raised and caught as an error.
    const call: Call = { method: 'POST', signal, body, contentType: MEDIA_TYPES.json, headersTimeout: this.timeouts.uploadHeadersMs, pass: [409] };
    const response = await this.send(route, call);
    const conflict = response.statusCode === 409;
    const bytes = await this.read(response.body, conflict ? RESPONSE_LIMITS.missingAfterPublish : RESPONSE_LIMITS.json, what, response.headers, signal);
    if (!conflict) return { published: parseResponse(PublishResponseSchema, bytes, what) };
    const text = bytes.toString('utf8');
    const answer = blobsMissingAnswer(text);
    if (!answer) throw errorFromResponse(409, text, what);
    return { missing: checkResponse(MissingBlobsSchema, answer.missing, `${what} (missing)`) };
  }

  async rollback(app: string, toSeq: number | undefined, signal: AbortSignal) {
    return this.json(PublishResponseSchema, routes.rollback(app), { method: 'POST', signal, ...jsonBody(toSeq === undefined ? {} : { toSeq }) });
  }

  /** Asks the server to import `source` (rsync://...) as a release of `app`. */
  async importTree(app: string, source: string, meta: Record<string, string>, signal: AbortSignal): Promise<ImportResponse> {
    return this.json(ImportResponseSchema, routes.imports(app), { method: 'POST', signal, headersTimeout: this.timeouts.importHeadersMs, ...jsonBody({ source, meta }) });
  }

  // --- blobs ----------------------------------------------------------------------------------

  /** Uploads one blob; the server verifies `sha256` before keeping it. */
  async putBlob(sha256: string, body: Readable | Buffer, size: number, signal: AbortSignal): Promise<void> {
    await this.discard(routes.blob(sha256), { method: 'PUT', signal, body, contentType: MEDIA_TYPES.octetStream, contentLength: size, headersTimeout: this.timeouts.uploadHeadersMs });
  }

  /** Uploads many blobs as one tar stream whose entries are named by their sha256. */
  async postBlobs(tar: Readable, signal: AbortSignal): Promise<void> {
    await this.discard(routes.blobs(), { method: 'POST', signal, body: tar, contentType: MEDIA_TYPES.tar, headersTimeout: this.timeouts.uploadHeadersMs });
  }

  /** One blob's bytes, streamed; `slot` when the server meters pulls. */
  async blob(sha256: string, options: { slot?: string | undefined; signal: AbortSignal }): Promise<StreamBody> {
    return (await this.send(routes.blob(sha256), { method: 'GET', signal: options.signal, headers: slotHeader(options.slot) })).body;
  }

  /** The release pack over `base` (a tar of blobs named by sha256), streamed. */
  async pack(app: string, seq: number, base: number | undefined, options: { slot?: string | undefined; signal: AbortSignal }): Promise<StreamBody> {
    return (await this.send(routes.pack(app, seq, base), { method: 'GET', signal: options.signal, headers: slotHeader(options.slot) })).body;
  }

  /** A tar of the named blobs, streamed (`POST /v1/blobs:fetch`). */
  async fetchBlobs(sha256s: readonly string[], options: { slot?: string | undefined; signal: AbortSignal }): Promise<StreamBody> {
    const call: Call = { method: 'POST', signal: options.signal, headers: slotHeader(options.slot), errorMaxBytes: RESPONSE_LIMITS.missingAfterFetch, ...jsonBody({ sha256: sha256s }) };
    return (await this.send(routes.blobsFetch(), call)).body;
  }

  // --- events, nodes, pull slots --------------------------------------------------------------

  /** The event stream (SSE), resumed after `lastEventId` when given; read until it ends. */
  async events(options: { lastEventId?: string | undefined; apps?: readonly string[]; signal: AbortSignal }): Promise<StreamBody> {
    const headers: Record<string, string> = { accept: MEDIA_TYPES.eventStream };
    if (options.lastEventId !== undefined) headers[HEADERS.lastEventId] = options.lastEventId;
    return (await this.send(routes.events(options.apps), { method: 'GET', signal: options.signal, headers, bodyTimeout: this.timeouts.eventStreamIdleMs })).body;
  }

  /** Every node the server has a report from. */
  async listNodes(signal: AbortSignal): Promise<{ nodes: NodeSummary[] }> {
    return this.json(NodeListSchema, routes.nodes(), { method: 'GET', signal, idempotent: true }, RESPONSE_LIMITS.list);
  }

  /** Forgets a node until it reports again. */
  async deleteNode(node: string, signal: AbortSignal): Promise<void> {
    await this.discard(routes.node(node), { method: 'DELETE', signal });
  }

  /** `PUT /v1/nodes/{node}`: what this node runs. */
  async reportNode(node: string, report: NodeReport, signal: AbortSignal): Promise<void> {
    await this.discard(routes.node(node), { method: 'PUT', signal, ...jsonBody(report) });
  }

  /** Long-polls for a pull slot up to `waitSeconds`. */
  async requestPullSlot(request: PullSlotRequest, waitSeconds: number, signal: AbortSignal): Promise<PullSlotAnswer> {
    const route = routes.pullSlots(waitSeconds);
    const what = `POST ${route}`;
    const call: Call = { method: 'POST', signal, headersTimeout: waitSeconds * 1000 + LONG_POLL_SLACK_MS, pass: [404, 429], ...jsonBody(request) };
    const response = await this.send(route, call);
    const bytes = await this.read(response.body, response.statusCode === 404 ? RESPONSE_LIMITS.error : RESPONSE_LIMITS.json, what, response.headers, signal);
    if (response.statusCode === 404) return { kind: 'unmetered' };
    if (response.statusCode === 429) {
      const { position } = parseResponse(PullSlotQueuedSchema, bytes, what);
      // Never below a second: a 429 that comes back at once must not turn into a busy loop.
      return { kind: 'queued', retryAfterMs: Math.max(1, retryAfterSeconds(response.headers['retry-after'])) * 1000, position };
    }
    return { kind: 'granted', grant: parseResponse(PullSlotGrantSchema, bytes, what) };
  }

  /** Renews a granted slot; false when the server no longer knows it (expired). */
  async renewPullSlot(slot: string, signal: AbortSignal): Promise<boolean> {
    const response = await this.send(routes.pullSlot(slot), { method: 'PUT', signal, pass: [404, 410] });
    await this.read(response.body, RESPONSE_LIMITS.json, `PUT ${routes.pullSlot(slot)}`, response.headers, signal);
    return response.statusCode < 300;
  }

  async releasePullSlot(slot: string, signal: AbortSignal): Promise<void> {
    await this.discard(routes.pullSlot(slot), { method: 'DELETE', signal, pass: [404, 410] });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  // --- one request ----------------------------------------------------------------------------

  /** A JSON answer, bounded to `maxBytes` and checked against `schema`. */
  private async json<T extends TSchema>(schema: T, route: string, call: Call, maxBytes: number = RESPONSE_LIMITS.json): Promise<Static<T>> {
    return (await this.jsonFromStore(schema, route, call, maxBytes)).body;
  }

  /** `json` with the store the answer came from (`x-codesync-store-id`, when the server sends one). */
  private async jsonFromStore<T extends TSchema>(schema: T, route: string, call: Call, maxBytes: number): Promise<FromStore<Static<T>>> {
    const what = `${call.method} ${route}`;
    const response = await this.send(route, call);
    const header = response.headers[HEADERS.storeId];
    const body = parseResponse(schema, await this.read(response.body, maxBytes, what, response.headers, call.signal), what);
    return { body, storeId: typeof header === 'string' ? header : undefined };
  }

  /** A request whose answer body says nothing the caller needs; still read within a bound. */
  private async discard(route: string, call: Call): Promise<void> {
    const response = await this.send(route, call);
    await this.read(response.body, RESPONSE_LIMITS.json, `${call.method} ${route}`, response.headers, call.signal);
  }

  /** Sends one request; a status outside 2xx (and `pass`) becomes the CodesyncError its body names. */
  private async send(route: string, call: Call): Promise<Dispatcher.ResponseData> {
    const what = `${call.method} ${route}`;
    const headers: Record<string, string> = { accept: MEDIA_TYPES.json, ...call.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (call.contentType) headers['content-type'] = call.contentType;
    if (call.contentLength !== undefined) headers['content-length'] = String(call.contentLength);
    let response: Dispatcher.ResponseData;
    try {
      response = await (call.idempotent ? this.retrying : this.agent).request({
        origin: this.origin,
        path: `${this.base.slice(this.origin.length)}${route}`,
        method: call.method,
        headers,
        body: call.body ?? null,
        signal: call.signal,
        ...(call.headersTimeout !== undefined ? { headersTimeout: call.headersTimeout } : {}),
        ...(call.bodyTimeout !== undefined ? { bodyTimeout: call.bodyTimeout } : {}),
      });
    } catch (err) {
      throw transportError(err, { what, origin: this.origin, signal: call.signal });
    }
    const status = response.statusCode;
    if ((status >= 200 && status < 300) || call.pass?.includes(status)) return response;
    const body = await this.read(response.body, call.errorMaxBytes ?? RESPONSE_LIMITS.error, what, response.headers, call.signal);
    throw errorFromResponse(status, body.toString('utf8'), what);
  }

  private async read(body: ResponseBody, maxBytes: number, what: string, headers: Dispatcher.ResponseData['headers'], signal: AbortSignal): Promise<Buffer> {
    try {
      return await readBounded(body, maxBytes, what, headers['content-length']);
    } catch (err) {
      throw transportError(err, { what, origin: this.origin, signal });
    }
  }
}

/** `--server` as a URL: http or https, nothing else. */
export function parseServerUrl(server: string): URL {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new CodesyncError('USAGE', `--server must be a URL such as https://host:7400, got ${JSON.stringify(server)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CodesyncError('USAGE', `--server must be an http:// or https:// URL, got ${JSON.stringify(server)}`);
  return url;
}

function jsonBody(value: unknown): { body: string; contentType: string } {
  return { body: JSON.stringify(value), contentType: MEDIA_TYPES.json };
}

/** Headers of a blob transfer: any media type back, and the pull slot when the server meters pulls. */
function slotHeader(slot: string | undefined): Record<string, string> {
  return slot ? { accept: '*/*', [HEADERS.slot]: slot } : { accept: '*/*' };
}

/** `Retry-After` as seconds: delta-seconds or an HTTP date; 1 when absent or unreadable. */
function retryAfterSeconds(header: string | string[] | undefined): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return 1;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? 1 : (date - Date.now()) / 1000;
}

/** The 409 of a publish that names the blobs to upload (docs/api.md#publish), or undefined for any other 409. */
function blobsMissingAnswer(text: string): { missing: unknown } | undefined {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown }; missing?: unknown } | null;
    return body?.error?.code === 'BLOBS_MISSING' ? { missing: body.missing } : undefined;
  } catch {
    return undefined;
  }
}
