import type { ServerResponse } from 'node:http';

export interface SseHubOptions {
  /** Milliseconds between heartbeat comments, so clients and proxies see a live stream. */
  heartbeatMs: number;
  /** Text of the heartbeat comment; each stream's contract names its own (docs/api.md, docs/agent.md). */
  heartbeatComment: string;
  /** Bytes a subscriber may leave unread before it is cut off: a stuck client never holds memory. */
  maxBufferedBytes: number;
  /** Called with the number of subscribers after each change. */
  onCountChange?: (count: number) => void;
}

interface Subscriber {
  response: ServerResponse;
  /** Apps this subscriber follows; undefined or empty follows every app. */
  apps: ReadonlySet<string> | undefined;
}

/**
 * Fans Server-Sent Events out to open responses, for the server's `GET /v1/events` and the node
 * socket's. Each frame is formatted once and one shared timer sends the heartbeat, so many
 * subscribers cost a socket each and no timers. Writes never wait for a subscriber: one whose
 * unread bytes pass the bound is cut off, and catches up when it reconnects.
 */
export class SseHub {
  private readonly subscribers = new Set<Subscriber>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly options: SseHubOptions) {}

  get size(): number {
    return this.subscribers.size;
  }

  /** Registers a response whose headers are sent; it leaves the hub when its connection closes. */
  add(response: ServerResponse, apps: ReadonlySet<string> | undefined): void {
    const subscriber: Subscriber = { response, apps };
    this.subscribers.add(subscriber);
    this.options.onCountChange?.(this.subscribers.size);
    response.once('close', () => this.remove(subscriber));
    this.heartbeat ??= setInterval(() => this.broadcast(`: ${this.options.heartbeatComment}\n\n`, () => true), this.options.heartbeatMs).unref();
  }

  /** Sends `frame` to every subscriber following `app`. */
  publish(app: string, frame: string): void {
    this.broadcast(frame, (subscriber) => follows(subscriber, app));
  }

  /** Subscribers that receive events of `app`. */
  count(app: string): number {
    let n = 0;
    for (const subscriber of this.subscribers) if (follows(subscriber, app)) n++;
    return n;
  }

  /** Apps named by at least one subscriber. */
  followedApps(): Set<string> {
    const apps = new Set<string>();
    for (const subscriber of this.subscribers) for (const app of subscriber.apps ?? []) apps.add(app);
    return apps;
  }

  /** Ends every stream (shutdown): clients reconnect elsewhere or later and catch up. */
  closeAll(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    for (const subscriber of this.subscribers) subscriber.response.end();
  }

  private broadcast(frame: string, wants: (subscriber: Subscriber) => boolean): void {
    for (const subscriber of this.subscribers) {
      if (!wants(subscriber)) continue;
      if (subscriber.response.writableLength > this.options.maxBufferedBytes) {
        this.remove(subscriber);
        subscriber.response.destroy();
      } else {
        subscriber.response.write(frame);
      }
    }
  }

  private remove(subscriber: Subscriber): void {
    if (this.subscribers.delete(subscriber)) this.options.onCountChange?.(this.subscribers.size);
  }
}

function follows(subscriber: Subscriber, app: string): boolean {
  return !subscriber.apps || subscriber.apps.size === 0 || subscriber.apps.has(app);
}

/** One SSE frame: `id:` (when given), `event:` and one `data:` line of JSON. */
export function sseFrame(event: string, data: unknown, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
