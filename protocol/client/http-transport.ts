import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type RequestOptions } from 'node:http';
import { createRequire } from 'node:module';
import { pipeline, type Readable } from 'node:stream';
import type { TSchema, Static } from '@sinclair/typebox';
import { HEADERS, MEDIA_TYPES } from '../api-names.js';
import { CodesyncError } from '../errors.js';
import { isLoopbackHost } from '../loopback.js';
import { sleep } from '../runtime/backoff.js';
import { readBounded, type ResponseBody } from './bounded-body.js';
import { errorFromResponse, transportError } from './error-mapping.js';
import { RESPONSE_LIMITS } from './response-limits.js';

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

const DEFAULT_TIMEOUTS: ClientTimeouts = {
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

/** An answer and the store it came from: a store wiped and recreated counts seqs from 1 again. */
export interface FromStore<T> {
  body: T;
  storeId: string | undefined;
}

/** A streamed 2xx body; the caller reads it to the end or destroys it. */
export type StreamBody = IncomingMessage;

/** An answer whose headers are in: status, headers, and the body still to read. */
export interface HttpResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: StreamBody;
}

type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

/** One request as the calls of api-client.ts describe it. */
export interface Call {
  method: HttpMethod;
  signal: AbortSignal;
  body?: string | Buffer | Readable | undefined;
  contentType?: string | undefined;
  contentLength?: number | undefined;
  headers?: Record<string, string> | undefined;
  headersTimeout?: number | undefined;
  bodyTimeout?: number | undefined;
  /** Safe to send again: retried after a network error or a 502/503/504. */
  idempotent?: boolean | undefined;
  /** Bytes of an error body read; RESPONSE_LIMITS.error unless a route's errors carry lists. */
  errorMaxBytes?: number | undefined;
  /** Statuses the caller reads itself instead of getting a CodesyncError. */
  pass?: readonly number[] | undefined;
}

/** response-check.js once asked for: an `import()` of a loaded module still costs the loader's job. */
let responseCheck: Promise<typeof import('./response-check.js')> | undefined;

/** Headers of a long-poll may take this long past the wait the request asked the server for. */
export const LONG_POLL_SLACK_MS = 30_000;

/** Statuses of a gateway whose server is away: an idempotent read is sent again, after 0.5 s, then 1 s. */
const RETRY_STATUSES = new Set([502, 503, 504]);
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 5_000;
const FREE_SOCKET_IDLE_MS = 4_000;

/**
 * One request to the server's API v1 and its answer: the connection pool, the bearer token,
 * timeouts, every answer size-bounded, every failure a CodesyncError (one mapping,
 * error-mapping.ts). JSON reads that are safe to repeat are retried here; everything else fails at
 * once and leaves retrying to the caller, who knows whether it may.
 * Built on node:http, not undici: every CLI run and agent pays for loading the client, and
 * node:http is already in the binary (undici was a third of a one-file publish's start-up).
 */
export class HttpTransport {
  readonly origin: string;
  readonly timeouts: ClientTimeouts;
  private readonly url: URL;
  /** The URL's host without an IPv6 literal's brackets, and its port: what every request's options name. */
  private readonly hostname: string;
  private readonly port: string | undefined;
  private readonly basePath: string;
  private readonly token: string | undefined;
  private readonly agent: HttpAgent;
  /** http.request or https.request, by the URL's protocol. */
  private readonly request: typeof httpRequest = httpRequest;
  private readonly retries: number;

  constructor(options: ApiClientOptions) {
    const url = parseServerUrl(options.server);
    this.url = url;
    this.origin = url.origin;
    this.hostname = url.hostname.replace(/^\[|\]$/g, '');
    this.port = url.port || undefined;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.token = options.token;
    this.retries = options.retries ?? 2;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    // An idle kept-alive connection is closed after FREE_SOCKET_IDLE_MS, well before the server
    // would close it, so a request never goes out on a socket the server is closing.
    const pool = { keepAlive: true, maxSockets: options.connections ?? 8, noDelay: true, timeout: FREE_SOCKET_IDLE_MS };
    // Node's `ca` replaces the system roots; keeping both lets one client reach a server behind
    // a public ingress and one with a private CA.
    if (url.protocol === 'https:') {
      const https = loadTls();
      this.agent = new https.Agent({ ...pool, ...(options.ca ? { ca: [...https.rootCertificates, options.ca] } : {}) });
      this.request = https.request;
    } else {
      this.agent = new HttpAgent(pool);
    }
  }

  /** True when requests cross the network unencrypted: plain http to a host that is not loopback. */
  get plainHttpOffLoopback(): boolean {
    return this.url.protocol === 'http:' && !isLoopbackHost(this.url.hostname);
  }

  /** A JSON answer, bounded to `maxBytes` and checked against `schema`. */
  async json<T extends TSchema>(schema: T, route: string, call: Call, maxBytes: number = RESPONSE_LIMITS.json): Promise<Static<T>> {
    return (await this.jsonFromStore(schema, route, call, maxBytes)).body;
  }

  /** `json` with the store the answer came from (`x-codesync-store-id`, when the server sends one). */
  async jsonFromStore<T extends TSchema>(schema: T, route: string, call: Call, maxBytes: number): Promise<FromStore<Static<T>>> {
    // The schema compiler loads with the first schema-checked answer: the publish path checks its
    // few answers by hand (publish-answers.ts) and never pays for it.
    const { parseResponse } = await (responseCheck ??= import('./response-check.js'));
    return this.answerFromStore(route, call, maxBytes, (bytes, what) => parseResponse(schema, bytes, what));
  }

  /**
   * An answer read whole within `maxBytes` and turned into `T` by `parse` (which throws a
   * CodesyncError on anything the protocol does not allow), with the store it came from.
   */
  async answerFromStore<T>(route: string, call: Call, maxBytes: number, parse: (bytes: Buffer, what: string) => T): Promise<FromStore<T>> {
    const what = `${call.method} ${route}`;
    const response = await this.send(route, call);
    const header = response.headers[HEADERS.storeId];
    const bytes = await this.read(response.body, maxBytes, what, response.headers, call.signal);
    return { body: parse(bytes, what), storeId: typeof header === 'string' ? header : undefined };
  }

  /** A request whose answer body says nothing the caller needs; still read within a bound. */
  async discard(route: string, call: Call): Promise<void> {
    const response = await this.send(route, call);
    await this.read(response.body, RESPONSE_LIMITS.json, `${call.method} ${route}`, response.headers, call.signal);
  }

  /** Sends one request; a status outside 2xx (and `pass`) becomes the CodesyncError its body names. */
  async send(route: string, call: Call): Promise<HttpResponse> {
    const what = `${call.method} ${route}`;
    const headers: Record<string, string> = { accept: MEDIA_TYPES.json, ...call.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (call.contentType) headers['content-type'] = call.contentType;
    if (call.contentLength !== undefined) headers['content-length'] = String(call.contentLength);
    // A streamed body cannot be sent twice.
    const retries = call.idempotent && !isStreamed(call.body) ? this.retries : 0;
    let response: HttpResponse;
    for (let attempt = 0; ; attempt++) {
      let delayMs = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** attempt);
      try {
        response = await this.exchange(`${this.basePath}${route}`, headers, call);
        if (attempt >= retries || !RETRY_STATUSES.has(response.statusCode)) break;
        response.body.destroy();
        // A gateway's Retry-After (delta-seconds) is honoured, within the same cap.
        const hinted = Number(response.headers['retry-after']) * 1000;
        if (hinted >= 0) delayMs = Math.min(RETRY_MAX_MS, hinted);
      } catch (err) {
        const failure = transportError(err, { what, origin: this.origin, signal: call.signal });
        if (attempt >= retries || failure.code !== 'SERVER_UNREACHABLE') throw failure;
      }
      try {
        await sleep(delayMs, call.signal);
      } catch (err) {
        throw transportError(err, { what, origin: this.origin, signal: call.signal });
      }
    }
    const status = response.statusCode;
    if ((status >= 200 && status < 300) || call.pass?.includes(status)) return response;
    const body = await this.read(response.body, call.errorMaxBytes ?? RESPONSE_LIMITS.error, what, response.headers, call.signal);
    throw errorFromResponse(status, body.toString('utf8'), what);
  }

  /** A body read whole within `maxBytes`; a failure while reading becomes a CodesyncError. */
  async read(body: ResponseBody, maxBytes: number, what: string, headers: IncomingHttpHeaders, signal: AbortSignal): Promise<Buffer> {
    try {
      return await readBounded(body, maxBytes, what, headers['content-length']);
    } catch (err) {
      throw transportError(err, { what, origin: this.origin, signal });
    }
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }

  /**
   * One request on the pool, resolved when its headers are in. The socket's idle timer is the
   * headers timeout until then (it runs from the last byte written, so an upload's own time does
   * not count) and the body's idle timeout after; a connection that is not up within connectMs
   * fails on its own timer.
   */
  private exchange(path: string, headers: Record<string, string>, call: Call): Promise<HttpResponse> {
    const { connectMs } = this.timeouts;
    const headersMs = call.headersTimeout ?? this.timeouts.headersMs;
    const bodyMs = call.bodyTimeout ?? this.timeouts.bodyIdleMs;
    // The signal is watched here, not given to node:http: its own watch adds an end-of-stream
    // tracker and a listener set per request, ~10 % of a small request's CPU on an agent.
    const options: RequestOptions = { agent: this.agent, protocol: this.url.protocol, hostname: this.hostname, port: this.port, path, method: call.method, headers };
    const { signal } = call;
    return new Promise<HttpResponse>((resolve, reject) => {
      if (signal.aborted) {
        reject(abortError(signal));
        return;
      }
      const req = this.request(options);
      let response: IncomingMessage | undefined;
      // Until the request closes (after its response's last byte, or with its connection), an
      // abort destroys it, and the response with it.
      const onAbort = (): void => {
        req.destroy(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      req.once('close', () => signal.removeEventListener('abort', onAbort));
      // Errors after the headers reach the body's reader (the response is destroyed with them).
      req.on('error', (err) => {
        if (!response) reject(err);
      });
      if (connectMs > 0) {
        req.once('socket', (socket) => {
          if (!socket.connecting) return;
          const timer = setTimeout(() => req.destroy(timeoutError('UND_ERR_CONNECT_TIMEOUT', `no connection within ${connectMs} ms`)), connectMs);
          socket.once('connect', () => clearTimeout(timer));
          req.once('close', () => clearTimeout(timer));
        });
      }
      req.setTimeout(headersMs, () => {
        const err = response ? timeoutError('UND_ERR_BODY_TIMEOUT', `no body bytes for ${bodyMs} ms`) : timeoutError('UND_ERR_HEADERS_TIMEOUT', `no answer within ${headersMs} ms`);
        response?.destroy(err);
        req.destroy(err);
      });
      req.once('response', (res) => {
        response = res;
        req.setTimeout(bodyMs);
        resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: res });
      });
      const body = call.body;
      // A body that fails stops the request; a request that fails stops the body's producer.
      if (isStreamed(body)) pipeline(body, req, (err) => err && req.destroy(err));
      else req.end(body);
    });
  }
}

/** A body to stream (a Node stream, or tar-stream's streamx pack), not bytes at hand. */
function isStreamed(body: Call['body']): body is Readable {
  return body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body);
}

/** What node:http destroys a request with when the signal given to it aborts. */
function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error('The operation was aborted', { cause: signal.reason }), { name: 'AbortError', code: 'ABORT_ERR' });
}

/** A timeout as a transport error: the code error-mapping.ts reads as "server unreachable". */
function timeoutError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * node:https and node:tls, loaded only for an https server: most publishes, waits and sidecars talk
 * plain http inside the cluster, and loading TLS costs every one of them ~5 ms of CPU at start.
 */
function loadTls(): { Agent: typeof import('node:https').Agent; request: typeof import('node:https').request; rootCertificates: readonly string[] } {
  const require = createRequire(import.meta.url);
  const https = require('node:https') as typeof import('node:https');
  const tls = require('node:tls') as typeof import('node:tls');
  return { Agent: https.Agent, request: https.request, rootCertificates: tls.rootCertificates };
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

/** A JSON request body and its media type. */
export function jsonBody(value: unknown): { body: string; contentType: string } {
  return { body: JSON.stringify(value), contentType: MEDIA_TYPES.json };
}
