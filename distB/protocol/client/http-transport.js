import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { pipeline } from 'node:stream';
import { HEADERS, MEDIA_TYPES } from '../api-names.js';
import { CodesyncError } from '../errors.js';
import { isLoopbackHost } from '../loopback.js';
import { sleep } from '../runtime/backoff.js';
import { readBounded } from './bounded-body.js';
import { errorFromResponse, transportError } from './error-mapping.js';
import { RESPONSE_LIMITS } from './response-limits.js';
const DEFAULT_TIMEOUTS = {
    connectMs: 10_000,
    headersMs: 60_000,
    bodyIdleMs: 60_000,
    uploadHeadersMs: 10 * 60_000,
    importHeadersMs: 60 * 60_000,
    eventStreamIdleMs: 45_000,
};
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
    origin;
    timeouts;
    url;
    basePath;
    token;
    agent;
    /** http.request or https.request, by the URL's protocol. */
    request = httpRequest;
    retries;
    constructor(options) {
        const url = parseServerUrl(options.server);
        this.url = url;
        this.origin = url.origin;
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
        }
        else {
            this.agent = new HttpAgent(pool);
        }
    }
    /** True when requests cross the network unencrypted: plain http to a host that is not loopback. */
    get plainHttpOffLoopback() {
        return this.url.protocol === 'http:' && !isLoopbackHost(this.url.hostname);
    }
    /** A JSON answer, bounded to `maxBytes` and checked against `schema`. */
    async json(schema, route, call, maxBytes = RESPONSE_LIMITS.json) {
        return (await this.jsonFromStore(schema, route, call, maxBytes)).body;
    }
    /** `json` with the store the answer came from (`x-codesync-store-id`, when the server sends one). */
    async jsonFromStore(schema, route, call, maxBytes) {
        // The schema compiler loads with the first schema-checked answer: the publish path checks its
        // few answers by hand (publish-answers.ts) and never pays for it.
        const { parseResponse } = await import('./response-check.js');
        return this.answerFromStore(route, call, maxBytes, (bytes, what) => parseResponse(schema, bytes, what));
    }
    /**
     * An answer read whole within `maxBytes` and turned into `T` by `parse` (which throws a
     * CodesyncError on anything the protocol does not allow), with the store it came from.
     */
    async answerFromStore(route, call, maxBytes, parse) {
        const what = `${call.method} ${route}`;
        const response = await this.send(route, call);
        const header = response.headers[HEADERS.storeId];
        const bytes = await this.read(response.body, maxBytes, what, response.headers, call.signal);
        return { body: parse(bytes, what), storeId: typeof header === 'string' ? header : undefined };
    }
    /** A request whose answer body says nothing the caller needs; still read within a bound. */
    async discard(route, call) {
        const response = await this.send(route, call);
        await this.read(response.body, RESPONSE_LIMITS.json, `${call.method} ${route}`, response.headers, call.signal);
    }
    /** Sends one request; a status outside 2xx (and `pass`) becomes the CodesyncError its body names. */
    async send(route, call) {
        const what = `${call.method} ${route}`;
        const headers = { accept: MEDIA_TYPES.json, ...call.headers };
        if (this.token)
            headers.authorization = `Bearer ${this.token}`;
        if (call.contentType)
            headers['content-type'] = call.contentType;
        if (call.contentLength !== undefined)
            headers['content-length'] = String(call.contentLength);
        // A streamed body cannot be sent twice.
        const retries = call.idempotent && !isStreamed(call.body) ? this.retries : 0;
        let response;
        for (let attempt = 0;; attempt++) {
            let delayMs = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** attempt);
            try {
                response = await this.exchange(`${this.basePath}${route}`, headers, call);
                if (attempt >= retries || !RETRY_STATUSES.has(response.statusCode))
                    break;
                response.body.destroy();
                // A gateway's Retry-After (delta-seconds) is honoured, within the same cap.
                const hinted = Number(response.headers['retry-after']) * 1000;
                if (hinted >= 0)
                    delayMs = Math.min(RETRY_MAX_MS, hinted);
            }
            catch (err) {
                const failure = transportError(err, { what, origin: this.origin, signal: call.signal });
                if (attempt >= retries || failure.code !== 'SERVER_UNREACHABLE')
                    throw failure;
            }
            try {
                await sleep(delayMs, call.signal);
            }
            catch (err) {
                throw transportError(err, { what, origin: this.origin, signal: call.signal });
            }
        }
        const status = response.statusCode;
        if ((status >= 200 && status < 300) || call.pass?.includes(status))
            return response;
        const body = await this.read(response.body, call.errorMaxBytes ?? RESPONSE_LIMITS.error, what, response.headers, call.signal);
        throw errorFromResponse(status, body.toString('utf8'), what);
    }
    /** A body read whole within `maxBytes`; a failure while reading becomes a CodesyncError. */
    async read(body, maxBytes, what, headers, signal) {
        try {
            return await readBounded(body, maxBytes, what, headers['content-length']);
        }
        catch (err) {
            throw transportError(err, { what, origin: this.origin, signal });
        }
    }
    async close() {
        this.agent.destroy();
    }
    /**
     * One request on the pool, resolved when its headers are in. The socket's idle timer is the
     * headers timeout until then (it runs from the last byte written, so an upload's own time does
     * not count) and the body's idle timeout after; a connection that is not up within connectMs
     * fails on its own timer.
     */
    exchange(path, headers, call) {
        const { connectMs } = this.timeouts;
        const headersMs = call.headersTimeout ?? this.timeouts.headersMs;
        const bodyMs = call.bodyTimeout ?? this.timeouts.bodyIdleMs;
        const options = {
            agent: this.agent, protocol: this.url.protocol, hostname: this.url.hostname.replace(/^\[|\]$/g, ''), port: this.url.port || undefined,
            path, method: call.method, headers, signal: call.signal,
        };
        return new Promise((resolve, reject) => {
            const req = this.request(options);
            let response;
            // Errors after the headers reach the body's reader (the response is destroyed with them).
            req.on('error', (err) => {
                if (!response)
                    reject(err);
            });
            if (connectMs > 0) {
                req.once('socket', (socket) => {
                    if (!socket.connecting)
                        return;
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
            if (isStreamed(body))
                pipeline(body, req, (err) => err && req.destroy(err));
            else
                req.end(body);
        });
    }
}
/** A body to stream (a Node stream, or tar-stream's streamx pack), not bytes at hand. */
function isStreamed(body) {
    return body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body);
}
/** A timeout as a transport error: the code error-mapping.ts reads as "server unreachable". */
function timeoutError(code, message) {
    return Object.assign(new Error(message), { code });
}
/**
 * node:https and node:tls, loaded only for an https server: most publishes, waits and sidecars talk
 * plain http inside the cluster, and loading TLS costs every one of them ~5 ms of CPU at start.
 */
function loadTls() {
    const require = createRequire(import.meta.url);
    const https = require('node:https');
    const tls = require('node:tls');
    return { Agent: https.Agent, request: https.request, rootCertificates: tls.rootCertificates };
}
/** `--server` as a URL: http or https, nothing else. */
export function parseServerUrl(server) {
    let url;
    try {
        url = new URL(server);
    }
    catch {
        throw new CodesyncError('USAGE', `--server must be a URL such as https://host:7400, got ${JSON.stringify(server)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw new CodesyncError('USAGE', `--server must be an http:// or https:// URL, got ${JSON.stringify(server)}`);
    return url;
}
/** A JSON request body and its media type. */
export function jsonBody(value) {
    return { body: JSON.stringify(value), contentType: MEDIA_TYPES.json };
}
//# sourceMappingURL=http-transport.js.map