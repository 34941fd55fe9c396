import type { Readable } from 'node:stream';
import { request } from 'undici';
import { CodesyncError, isErrorCode } from '../protocol/errors.js';
import { MEDIA_TYPES } from '../protocol/api.js';

export interface ServerClientOptions {
  /** Base URL of the release server, e.g. `http://codesync:7400`. */
  url: string;
  /** Bearer token (read scope is enough for an agent); none when the server runs without auth. */
  token?: string | undefined;
}

export interface StreamOptions {
  method?: 'GET' | 'POST' | 'PUT';
  json?: unknown;
  headers?: Record<string, string>;
  signal: AbortSignal;
  /** Milliseconds without body bytes before undici gives up; 0 for never (event streams). */
  bodyTimeout?: number;
}

/**
 * The agent's side of the server API (DESIGN §3): JSON calls and streamed bodies over undici,
 * with server errors turned into CodesyncErrors carrying the server's code.
 */
export class ServerClient {
  readonly url: string;
  private readonly token: string | undefined;

  constructor(options: ServerClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.token = options.token;
  }

  async getJson<T>(path: string, signal: AbortSignal): Promise<T> {
    const body = await this.stream(path, { signal });
    return (await body.json()) as T;
  }

  async putJson(path: string, json: unknown, signal: AbortSignal): Promise<void> {
    const response = await this.send(path, { method: 'PUT', json, signal });
    await response.body.dump();
  }

  /** A 2xx response body as a stream; the caller must consume or destroy it. */
  async stream(path: string, options: StreamOptions): Promise<Readable & { json(): Promise<unknown>; dump(): Promise<void> }> {
    const response = await this.send(path, options);
    return response.body;
  }

  /** Like `stream`, with the response headers. */
  async send(path: string, options: StreamOptions) {
    const headers: Record<string, string> = { ...options.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = MEDIA_TYPES.json;
      body = JSON.stringify(options.json);
    }
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(`${this.url}${path}`, {
        method: options.method ?? 'GET',
        headers,
        body,
        signal: options.signal,
        bodyTimeout: options.bodyTimeout ?? 60_000,
      });
    } catch (err) {
      if (options.signal.aborted) throw err;
      throw new CodesyncError('SERVER_UNREACHABLE', `cannot reach ${this.url}: ${(err as Error).message}`, { cause: err });
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    throw await responseError(response.statusCode, response.body, `${options.method ?? 'GET'} ${path}`);
  }
}

async function responseError(status: number, body: { text(): Promise<string> }, what: string): Promise<CodesyncError> {
  let text = '';
  try {
    text = await body.text();
  } catch {
    // The status alone still says what went wrong.
  }
  let code: unknown;
  let message = text.slice(0, 500);
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    code = parsed.error?.code;
    if (typeof parsed.error?.message === 'string') message = parsed.error.message;
  } catch {
    // Not a JSON error body (a proxy in between, say): keep the raw text.
  }
  const known = isErrorCode(code) ? code : 'SERVER_ERROR';
  return new CodesyncError(known, `${what}: ${status} ${message}`, { details: { status } });
}
