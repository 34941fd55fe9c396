import { rootCertificates } from 'node:tls';
import type { Readable } from 'node:stream';
import type { TSchema, Static } from '@sinclair/typebox';
import { Agent, interceptors, type Dispatcher } from 'undici';
import { HEADERS, MEDIA_TYPES } from '../api.js';
import { CodesyncError } from '../errors.js';
import { isLoopbackHost } from '../loopback.js';
import { readBounded, type ResponseBody } from './bounded-body.js';
import { errorFromResponse, transportError } from './error-mapping.js';
import { parseResponse } from './response-check.js';
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
export type StreamBody = Dispatcher.ResponseData['body'];

/** One request as the calls of api-client.ts describe it. */
export interface Call {
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
export const LONG_POLL_SLACK_MS = 30_000;

/**
 * One request to the server's API v1 and its answer: the connection pool, the bearer token,
 * timeouts, every answer size-bounded, every failure a CodesyncError (one mapping,
 * error-mapping.ts). JSON reads that are safe to repeat retry through undici's retry interceptor;
 * everything else fails at once and leaves retrying to the caller, who knows whether it may.
 */
export class HttpTransport {
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

  /** A JSON answer, bounded to `maxBytes` and checked against `schema`. */
  async json<T extends TSchema>(schema: T, route: string, call: Call, maxBytes: number = RESPONSE_LIMITS.json): Promise<Static<T>> {
    return (await this.jsonFromStore(schema, route, call, maxBytes)).body;
  }

  /** `json` with the store the answer came from (`x-codesync-store-id`, when the server sends one). */
  async jsonFromStore<T extends TSchema>(schema: T, route: string, call: Call, maxBytes: number): Promise<FromStore<Static<T>>> {
    const what = `${call.method} ${route}`;
    const response = await this.send(route, call);
    const header = response.headers[HEADERS.storeId];
    const body = parseResponse(schema, await this.read(response.body, maxBytes, what, response.headers, call.signal), what);
    return { body, storeId: typeof header === 'string' ? header : undefined };
  }

  /** A request whose answer body says nothing the caller needs; still read within a bound. */
  async discard(route: string, call: Call): Promise<void> {
    const response = await this.send(route, call);
    await this.read(response.body, RESPONSE_LIMITS.json, `${call.method} ${route}`, response.headers, call.signal);
  }

  /** Sends one request; a status outside 2xx (and `pass`) becomes the CodesyncError its body names. */
  async send(route: string, call: Call): Promise<Dispatcher.ResponseData> {
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

  /** A body read whole within `maxBytes`; a failure while reading becomes a CodesyncError. */
  async read(body: ResponseBody, maxBytes: number, what: string, headers: Dispatcher.ResponseData['headers'], signal: AbortSignal): Promise<Buffer> {
    try {
      return await readBounded(body, maxBytes, what, headers['content-length']);
    } catch (err) {
      throw transportError(err, { what, origin: this.origin, signal });
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
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

/** A JSON request body and its media type. */
export function jsonBody(value: unknown): { body: string; contentType: string } {
  return { body: JSON.stringify(value), contentType: MEDIA_TYPES.json };
}
