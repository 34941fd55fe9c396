import { request, type Dispatcher } from 'undici';
import { MEDIA_TYPES, type PullSlotGrant } from '../protocol/api.js';
import { CodesyncError, ERROR_CODES, isErrorCode, type ErrorCode } from '../protocol/errors.js';
import { backoffDelay, sleep } from './concurrency.js';
import type { PullSlotLease, PullSlotRequest, PullSlots } from './pull-slots.js';

/** The subset of a pino logger the client logs to. */
export interface PullSlotLogger {
  debug(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface PullSlotClientOptions {
  /** Base URL of the release server, e.g. `http://codesync:7400`. */
  server: string;
  /** Bearer token (read scope); none when the server runs without auth. */
  token?: string | undefined;
  /** This node's name: the server keeps one place in line per node and app. */
  node: string;
  /** Seconds each long-poll asks the server to hold the request (server max 60). Default 30. */
  waitSeconds?: number;
  /**
   * Called with the seconds from asking to being granted. The sync engine already times its wait
   * into `codesync_agent_pull_slot_wait_seconds`; this is for other users of the client.
   */
  observeWait?: ((seconds: number) => void) | undefined;
  /** First backoff ceiling after an error, in ms; doubles each retry. Default 500. */
  backoffBaseMs?: number;
  /** Largest backoff ceiling in ms. Default 30 000. */
  backoffMaxMs?: number;
  /** Where retries and lost slots are logged. Default: nowhere. */
  logger?: PullSlotLogger | undefined;
  /** undici dispatcher (connection pool); default: undici's global one. */
  dispatcher?: Dispatcher | undefined;
}

/** Server answers that no retry can fix (the request or the credentials are wrong), by status. */
const FINAL_STATUSES = new Map<number, ErrorCode>([
  [400, 'INVALID_REQUEST'],
  [401, 'UNAUTHORIZED'],
  [403, 'FORBIDDEN'],
  [413, 'BODY_TOO_LARGE'],
  [415, 'UNSUPPORTED_MEDIA_TYPE'],
]);
/** How long release() waits for the server before giving up: the slot expires anyway. */
const RELEASE_TIMEOUT_MS = 5_000;

type AskOutcome = { kind: 'granted'; grant: PullSlotGrant } | { kind: 'queued'; retryAfterMs: number; position: number | undefined } | { kind: 'unmetered' };

/**
 * PullSlots over HTTP (DESIGN §4): long-polls `POST /v1/pull-slots?wait=30` until the server
 * grants a slot, asks again after each 429 once `Retry-After` passed (the server keeps the place
 * in line meanwhile), retries errors with exponential backoff and full jitter, and leaves the line
 * when the signal aborts (the long-poll is cancelled, which the server sees as a disconnect).
 * A server without metering answers 404: then the lease has no slot.
 */
export class PullSlotClient implements PullSlots {
  private readonly server: string;
  private readonly options: PullSlotClientOptions;

  constructor(options: PullSlotClientOptions) {
    this.server = options.server.replace(/\/+$/, '');
    this.options = options;
  }

  async acquire({ app, bytes, cold, signal }: PullSlotRequest): Promise<PullSlotLease> {
    const started = performance.now();
    const log = this.options.logger;
    for (let failures = 0; ; ) {
      signal.throwIfAborted();
      let outcome: AskOutcome;
      try {
        outcome = await this.ask({ node: this.options.node, app, bytes, cold }, signal);
      } catch (err) {
        if (signal.aborted || !retryable(err)) throw err;
        const delayMs = backoffDelay(failures++, this.options.backoffBaseMs ?? 500, this.options.backoffMaxMs ?? 30_000);
        log?.warn({ app, err: (err as Error).message, retryInMs: Math.round(delayMs), failures }, 'pull slot request failed; retrying');
        await sleep(delayMs, signal);
        continue;
      }
      failures = 0;
      if (outcome.kind === 'unmetered') return { slot: undefined, release: async () => {} };
      if (outcome.kind === 'granted') {
        this.options.observeWait?.((performance.now() - started) / 1000);
        const lease = this.lease(app, outcome.grant);
        if (signal.aborted) {
          await lease.release();
          signal.throwIfAborted();
        }
        return lease;
      }
      log?.debug({ app, position: outcome.position, retryInMs: outcome.retryAfterMs }, 'waiting in line for a pull slot');
      await sleep(outcome.retryAfterMs, signal);
    }
  }

  private async ask(body: { node: string; app: string; bytes: number; cold: boolean }, signal: AbortSignal): Promise<AskOutcome> {
    const waitSeconds = this.options.waitSeconds ?? 30;
    const response = await this.call('POST', `/v1/pull-slots?wait=${waitSeconds}`, signal, body, (waitSeconds + 30) * 1000);
    const payload = await readJson(response);
    if (response.statusCode === 200) return { kind: 'granted', grant: payload as PullSlotGrant };
    if (response.statusCode === 404) return { kind: 'unmetered' };
    if (response.statusCode === 429) {
      const position = (payload as { position?: unknown } | undefined)?.position;
      // Never below a second: a 429 that comes back at once must not turn into a busy loop.
      return { kind: 'queued', retryAfterMs: Math.max(1, retryAfterSeconds(response.headers['retry-after'])) * 1000, position: typeof position === 'number' ? position : undefined };
    }
    throw serverError(response.statusCode, payload, 'POST /v1/pull-slots');
  }

  private lease(app: string, grant: PullSlotGrant): PullSlotLease {
    let released = false;
    // Blob requests renew the slot and an open transfer keeps it alive; this timer covers long
    // gaps between requests (hashing, disk writes) so a live fetch never loses its slot.
    const renewer = setInterval(() => void this.renew(app, grant.slot, renewer), (grant.ttlSeconds * 1000) / 3);
    renewer.unref();
    return {
      slot: grant.slot,
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(renewer);
        try {
          const response = await this.call('DELETE', `/v1/pull-slots/${encodeURIComponent(grant.slot)}`, AbortSignal.timeout(RELEASE_TIMEOUT_MS));
          await response.body.dump();
        } catch (err) {
          this.options.logger?.debug({ app, slot: grant.slot, err: (err as Error).message }, 'pull slot release failed; it expires on its own');
        }
      },
    };
  }

  private async renew(app: string, slot: string, renewer: NodeJS.Timeout): Promise<void> {
    try {
      const response = await this.call('PUT', `/v1/pull-slots/${encodeURIComponent(slot)}`, AbortSignal.timeout(RELEASE_TIMEOUT_MS));
      await response.body.dump();
      if (response.statusCode === 410 || response.statusCode === 404) {
        clearInterval(renewer);
        this.options.logger?.warn({ app, slot }, 'pull slot expired at the server; the fetch will ask for a new one');
      }
    } catch (err) {
      this.options.logger?.debug({ app, slot, err: (err as Error).message }, 'pull slot renewal failed');
    }
  }

  private async call(method: 'POST' | 'PUT' | 'DELETE', path: string, signal: AbortSignal, json?: unknown, headersTimeout?: number): Promise<Dispatcher.ResponseData> {
    const headers: Record<string, string> = {};
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (json !== undefined) headers['content-type'] = MEDIA_TYPES.json;
    try {
      return await request(`${this.server}${path}`, {
        method,
        headers,
        body: json === undefined ? undefined : JSON.stringify(json),
        signal,
        dispatcher: this.options.dispatcher,
        ...(headersTimeout ? { headersTimeout } : {}),
      });
    } catch (err) {
      if (signal.aborted) throw err;
      throw new CodesyncError('SERVER_UNREACHABLE', `cannot reach ${this.server}: ${(err as Error).message}`, { cause: err });
    }
  }
}

function retryable(err: unknown): boolean {
  return !(err instanceof CodesyncError) || !FINAL_STATUSES.has(err.statusCode);
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

async function readJson(response: Dispatcher.ResponseData): Promise<unknown> {
  const text = await response.body.text();
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function serverError(status: number, payload: unknown, what: string): CodesyncError {
  const error = (payload as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const message = typeof error?.message === 'string' ? error.message : `${what} answered ${status}`;
  const final = FINAL_STATUSES.get(status);
  if (final) return new CodesyncError(isErrorCode(error?.code) && FINAL_STATUSES.has(ERROR_CODES[error.code]) ? error.code : final, message);
  return new CodesyncError('SERVER_ERROR', `${what} answered ${status}: ${message}`);
}
