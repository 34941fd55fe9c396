import { Agent, request } from 'node:http';
import { createParser } from 'eventsource-parser';
import { readBounded } from '../protocol/client/bounded-body.js';
import { ERROR_BODY_MAX_BYTES, errorFromResponse } from '../protocol/client/error-mapping.js';
import { CodesyncError } from '../protocol/errors.js';
import { LIMITS } from '../protocol/limits.js';
/** Time to connect and get response headers from the node-local agent, outside long-polls. */
const REQUEST_TIMEOUT_MS = 10_000;
/** The agent sends a heartbeat every 15 s; three missed ones mean the stream is dead. */
const STREAM_IDLE_TIMEOUT_MS = 45_000;
/** Errors that mean "no agent on the socket right now" (absent, restarting, crashed): retry. */
const UNAVAILABLE_CODES = new Set(['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'STREAM_CLOSED']);
export function isAgentUnavailable(err) {
    const code = err?.code;
    return (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) || (err instanceof CodesyncError && err.code === 'SHUTTING_DOWN');
}
/**
 * Client of the agent's node-local socket API (docs/agent.md), used by `wait` and `reload-hook`.
 * Plain node:http over the Unix socket, not undici: the reload-hook sidecar runs in every app pod,
 * and undici alone would add about 20 MB to each (issue 13, target 7).
 */
export class SocketClient {
    socketPath;
    // Keep-alive, several sockets: an open event stream must not hold up an ack.
    agent;
    constructor(socketPath) {
        this.socketPath = socketPath;
        this.agent = new Agent({ keepAlive: true, maxSockets: 4 });
    }
    /** Waits up to `timeoutSeconds` for the node to hold `app`; null when it did not arrive. */
    async waitFor(app, timeoutSeconds, signal) {
        const response = await this.send('GET', `/v1/apps/${encodeURIComponent(app)}/wait?timeout=${timeoutSeconds}`, { signal, timeoutMs: timeoutSeconds * 1000 + REQUEST_TIMEOUT_MS });
        if (response.statusCode === 408) {
            response.resume();
            return null;
        }
        return (await jsonBody(response));
    }
    /** Reports a reload result to the agent. */
    async ack(app, ack, signal) {
        const body = JSON.stringify(ack);
        await jsonBody(await this.send('POST', `/v1/apps/${encodeURIComponent(app)}/acks`, { signal, timeoutMs: REQUEST_TIMEOUT_MS, body, headers: { 'content-type': 'application/json' } }));
    }
    /**
     * `activated` events of `apps` until the stream ends or fails (then it throws, so the caller
     * reconnects). The first events after connecting carry `initial: true`: the state already active.
     */
    async *events(apps, signal, onOpen = () => { }) {
        const query = apps.map((app) => `app=${encodeURIComponent(app)}`).join('&');
        const response = await this.send('GET', `/v1/events?${query}`, { signal, timeoutMs: REQUEST_TIMEOUT_MS, headers: { accept: 'text/event-stream' } });
        if (response.statusCode !== 200)
            await jsonBody(response);
        // Past the headers, silence longer than three heartbeats means the agent is gone.
        response.socket.setTimeout(STREAM_IDLE_TIMEOUT_MS, () => response.destroy(Object.assign(new Error('the event stream went silent'), { code: 'ETIMEDOUT' })));
        onOpen();
        const pending = [];
        const parser = createParser({ onEvent: (message) => pending.push(message) });
        for await (const chunk of response) {
            parser.feed(chunk.toString('utf8'));
            for (const message of pending.splice(0))
                if (message.event === 'activated')
                    yield JSON.parse(message.data);
        }
        throw Object.assign(new Error('the agent closed the event stream'), { code: 'STREAM_CLOSED' });
    }
    async close() {
        this.agent.destroy();
    }
    /** One request; resolves with the response once its headers arrive within `timeoutMs`. */
    send(method, path, options) {
        return new Promise((resolve, reject) => {
            const req = request({ socketPath: this.socketPath, agent: this.agent, method, path, headers: { host: 'codesync', ...options.headers }, signal: options.signal });
            const timer = setTimeout(() => req.destroy(Object.assign(new Error(`the agent did not answer ${method} ${path.split('?')[0]} within ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' })), options.timeoutMs);
            req.once('response', (response) => {
                clearTimeout(timer);
                resolve(response);
            });
            req.once('error', (err) => {
                clearTimeout(timer);
                reject(err);
            });
            req.end(options.body);
        });
    }
}
/** The JSON body of a 2xx response; an error body becomes a CodesyncError with its code (the server client's mapping). */
async function jsonBody(response) {
    const status = response.statusCode ?? 0;
    const ok = status >= 200 && status < 300;
    const text = (await readBounded(response, ok ? LIMITS.maxJsonBytes : ERROR_BODY_MAX_BYTES, 'the agent', response.headers['content-length'])).toString('utf8');
    if (!ok)
        throw errorFromResponse(status, text, 'the agent');
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
//# sourceMappingURL=socket-client.js.map