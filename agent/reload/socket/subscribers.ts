import type { ServerResponse } from 'node:http';
import type { ActivatedEvent, ActivatedApp } from '../../../protocol/reload-socket.js';

export interface SubscriberHubOptions {
  /** Seconds between heartbeat comments, so clients and proxies see a live stream. */
  heartbeatSeconds?: number;
  /** Bytes a subscriber may leave unread before it is dropped; a stuck pod never holds memory. */
  maxBufferedBytes?: number;
}

interface Subscriber {
  res: ServerResponse;
  /** Apps this subscriber follows; empty follows every app. */
  apps: ReadonlySet<string>;
}

/**
 * The SSE streams of `GET /v1/events`. Writes never wait for a subscriber: a slow or dead pod
 * must not delay the agent's next sync, so a subscriber whose unread bytes pass the bound is cut
 * off (it reconnects and catches up from the initial event).
 */
export class SubscriberHub {
  private readonly subscribers = new Set<Subscriber>();
  private readonly maxBufferedBytes: number;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(options: SubscriberHubOptions = {}) {
    this.maxBufferedBytes = options.maxBufferedBytes ?? 256 * 1024;
    this.heartbeat = setInterval(() => this.broadcast(': heartbeat\n\n', () => true), (options.heartbeatSeconds ?? 15) * 1000);
    this.heartbeat.unref();
  }

  /** Starts the stream on `res` and sends `initial` (the states already active) first. */
  add(res: ServerResponse, apps: ReadonlySet<string>, initial: ActivatedApp[]): void {
    const subscriber: Subscriber = { res, apps };
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    res.flushHeaders();
    this.subscribers.add(subscriber);
    res.once('close', () => this.subscribers.delete(subscriber));
    for (const activation of initial) this.send(subscriber, activatedFrame(activation, true));
  }

  publish(activation: ActivatedApp): void {
    const frame = activatedFrame(activation, false);
    this.broadcast(frame, (subscriber) => subscriber.apps.size === 0 || subscriber.apps.has(activation.app));
  }

  /** Subscribers that receive events of `app`. */
  count(app: string): number {
    let n = 0;
    for (const subscriber of this.subscribers) if (subscriber.apps.size === 0 || subscriber.apps.has(app)) n++;
    return n;
  }

  /** Apps named by at least one subscriber. */
  followedApps(): Set<string> {
    const apps = new Set<string>();
    for (const subscriber of this.subscribers) for (const app of subscriber.apps) apps.add(app);
    return apps;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const subscriber of this.subscribers) subscriber.res.end();
    this.subscribers.clear();
  }

  private broadcast(frame: string, wants: (subscriber: Subscriber) => boolean): void {
    for (const subscriber of this.subscribers) if (wants(subscriber)) this.send(subscriber, frame);
  }

  private send(subscriber: Subscriber, frame: string): void {
    const { res } = subscriber;
    if (res.writableLength > this.maxBufferedBytes) {
      this.subscribers.delete(subscriber);
      res.destroy();
      return;
    }
    res.write(frame);
  }
}

function activatedFrame(activation: ActivatedApp, initial: boolean): string {
  const data: ActivatedEvent = { app: activation.app, seq: activation.seq, digest: activation.digest, path: activation.path };
  if (initial) data.initial = true;
  return `event: activated\ndata: ${JSON.stringify(data)}\n\n`;
}
