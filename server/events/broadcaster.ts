import type { ServerResponse } from 'node:http';
import type { StoredEvent } from './event-log.js';

interface Subscriber {
  response: ServerResponse;
  /** Apps the client asked for; undefined means every app. */
  apps: Set<string> | undefined;
}

/** A subscriber that lets this much pile up unread is dropped; it resumes with Last-Event-ID. */
const MAX_BUFFERED_BYTES = 1 << 20;

/**
 * Fans events out to every SSE subscriber: each event is formatted once, and one shared timer
 * sends the heartbeat comment to all, so hundreds of subscribers cost a socket each, no timers.
 */
export class EventBroadcaster {
  private readonly subscribers = new Set<Subscriber>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly heartbeatMs: number,
    private readonly onCountChange: (count: number) => void = () => {},
  ) {}

  get size(): number {
    return this.subscribers.size;
  }

  /** Registers an open SSE response; it is removed when its connection closes. */
  add(response: ServerResponse, apps: Set<string> | undefined): void {
    const subscriber = { response, apps };
    this.subscribers.add(subscriber);
    this.onCountChange(this.subscribers.size);
    response.once('close', () => {
      this.subscribers.delete(subscriber);
      this.onCountChange(this.subscribers.size);
    });
    this.heartbeat ??= setInterval(() => this.writeAll(': hb\n\n'), this.heartbeatMs).unref();
  }

  publish(event: StoredEvent): void {
    const frame = formatEvent(event);
    for (const subscriber of this.subscribers) {
      if (!subscriber.apps || subscriber.apps.has(event.app)) this.write(subscriber, frame);
    }
  }

  /** Ends every stream (server shutdown): clients reconnect elsewhere or later with Last-Event-ID. */
  closeAll(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    for (const subscriber of this.subscribers) subscriber.response.end();
  }

  private writeAll(frame: string): void {
    for (const subscriber of this.subscribers) this.write(subscriber, frame);
  }

  private write(subscriber: Subscriber, frame: string): void {
    if (subscriber.response.writableLength > MAX_BUFFERED_BYTES) {
      subscriber.response.destroy();
      return;
    }
    subscriber.response.write(frame);
  }
}

export function formatEvent(event: StoredEvent): string {
  return `id: ${event.id}\nevent: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}
