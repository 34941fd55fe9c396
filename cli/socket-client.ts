import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { Pool, type Dispatcher } from 'undici';
import { readBounded } from '../protocol/client/bounded-body.js';
import { ERROR_BODY_MAX_BYTES, errorFromResponse } from '../protocol/client/error-mapping.js';
import { CodesyncError } from '../protocol/errors.js';
import { LIMITS } from '../protocol/limits.js';
import type { ActivatedEvent, AppState, ReloadAck } from '../protocol/reload-socket.js';

/** Time to connect and get response headers from the node-local agent, outside long-polls. */
const REQUEST_TIMEOUT_MS = 10_000;
/** The agent sends a heartbeat every 15 s; three missed ones mean the stream is dead. */
const STREAM_IDLE_TIMEOUT_MS = 45_000;

/** Errors that mean "no agent on the socket right now" (absent, restarting, crashed): retry. */
const UNAVAILABLE_CODES = new Set(['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

export function isAgentUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) || (err instanceof CodesyncError && err.code === 'SHUTTING_DOWN');
}

/** Client of the agent's node-local socket API (docs/agent.md), used by `wait` and `reload-hook`. */
export class SocketClient {
  // A pool, not one connection: an open event stream must not hold up an ack.
  private readonly pool: Pool;

  constructor(readonly socketPath: string) {
    this.pool = new Pool('http://codesync', { socketPath, connections: 4, pipelining: 1 });
  }

  /** Waits up to `timeoutSeconds` for the node to hold `app`; null when it did not arrive. */
  async waitFor(app: string, timeoutSeconds: number, signal: AbortSignal): Promise<AppState | null> {
    const path = `/v1/apps/${encodeURIComponent(app)}/wait?timeout=${timeoutSeconds}`;
    const response = await this.pool.request({ method: 'GET', path, signal, headersTimeout: timeoutSeconds * 1000 + REQUEST_TIMEOUT_MS });
    if (response.statusCode === 408) {
      await response.body.dump();
      return null;
    }
    return (await jsonBody(response)) as AppState;
  }

  /** Reports a reload result to the agent. */
  async ack(app: string, ack: ReloadAck, signal: AbortSignal): Promise<void> {
    const response = await this.pool.request({
      method: 'POST',
      path: `/v1/apps/${encodeURIComponent(app)}/acks`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ack),
      signal,
      headersTimeout: REQUEST_TIMEOUT_MS,
    });
    await jsonBody(response);
  }

  /**
   * `activated` events of `apps` until the stream ends or fails (then it throws, so the caller
   * reconnects). The first events after connecting carry `initial: true`: the state already active.
   */
  async *events(apps: string[], signal: AbortSignal, onOpen: () => void = () => {}): AsyncGenerator<ActivatedEvent> {
    const query = apps.map((app) => `app=${encodeURIComponent(app)}`).join('&');
    const response = await this.pool.request({
      method: 'GET',
      path: `/v1/events?${query}`,
      headers: { accept: 'text/event-stream' },
      signal,
      headersTimeout: REQUEST_TIMEOUT_MS,
      bodyTimeout: STREAM_IDLE_TIMEOUT_MS,
    });
    if (response.statusCode !== 200) await jsonBody(response);
    onOpen();
    const pending: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (message) => pending.push(message) });
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      parser.feed(chunk.toString('utf8'));
      for (const message of pending.splice(0)) if (message.event === 'activated') yield JSON.parse(message.data) as ActivatedEvent;
    }
    throw Object.assign(new Error('the agent closed the event stream'), { code: 'UND_ERR_CLOSED' });
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}

/** The JSON body of a 2xx response; an error body becomes a CodesyncError with its code (the server client's mapping). */
async function jsonBody(response: Dispatcher.ResponseData): Promise<unknown> {
  const ok = response.statusCode >= 200 && response.statusCode < 300;
  const text = (await readBounded(response.body, ok ? LIMITS.maxJsonBytes : ERROR_BODY_MAX_BYTES, 'the agent', response.headers['content-length'])).toString('utf8');
  if (!ok) throw errorFromResponse(response.statusCode, text, 'the agent');
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
