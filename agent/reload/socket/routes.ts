import type { IncomingMessage, ServerResponse } from 'node:http';
import { assertAppName } from '../../../protocol/app-name.js';
import { CodesyncError } from '../../../protocol/errors.js';
import { activatedEvent, heldApp, type ActiveRelease } from '../../../protocol/reload-socket.js';
import type { ActivationSource } from './activation-source.js';
import { parseAck, readJsonBody } from './ack-body.js';
import { sseFrame, type SseHub } from '../../../protocol/runtime/sse-hub.js';
import type { AppWaiters } from './waiters.js';

/** What the agent knows of an app's selector and this node's labels. */
export interface AppSelection {
  node: string;
  selector: string;
  labels: Record<string, string>;
  selected: boolean;
}

export interface RouteContext {
  feed: ActivationSource;
  /** The app's selection on this node; undefined while the agent does not know the app. */
  selection?: ((app: string) => AppSelection | undefined) | undefined;
  hub: SseHub;
  waiters: AppWaiters;
  /** Longest `?timeout=` a waiter may ask for, in seconds. */
  maxWaitSeconds: number;
}

const APP_ROUTE = /^\/v1\/apps\/([^/]+)(\/wait|\/acks)?$/;

/** The socket API of docs/agent.md. Resolves once the response is complete or handed to the hub. */
export async function route(req: IncomingMessage, res: ServerResponse, context: RouteContext): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://codesync');
  if (url.pathname === '/v1/events' && req.method === 'GET') return subscribe(url, res, context);
  const match = APP_ROUTE.exec(url.pathname);
  if (!match) throw notFound(req);
  const app = decodeAppName(match[1]!);
  if (match[2] === undefined && req.method === 'GET') return getApp(app, res, context);
  if (match[2] === '/wait' && req.method === 'GET') return waitForApp(app, url, res, context);
  if (match[2] === '/acks' && req.method === 'POST') return acknowledge(app, req, res, context);
  throw notFound(req);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function getApp(app: string, res: ServerResponse, { feed }: RouteContext): void {
  const activation = feed.current(app);
  if (!activation) throw notHeld(app);
  sendJson(res, 200, heldApp(activation));
}

function waitForApp(app: string, url: URL, res: ServerResponse, context: RouteContext): Promise<void> {
  const timeoutSeconds = Math.min(parseTimeout(url.searchParams.get('timeout')), context.maxWaitSeconds);
  const present = context.feed.current(app);
  if (present) return Promise.resolve(sendJson(res, 200, heldApp(present)));
  // An init container would otherwise wait out its timeout and crash-loop with no hint why.
  const selection = context.selection?.(app);
  if (selection && !selection.selected) throw notSelected(app, selection);
  return new Promise((resolve) => {
    const finish = (status: number, body: unknown) => {
      clearTimeout(timer);
      cancel();
      res.off('close', onClose);
      if (!res.writableEnded && !res.destroyed) sendJson(res, status, body);
      resolve();
    };
    const cancel = context.waiters.add(app, (activated) => {
      if (activated) finish(200, heldApp(activated));
      else finish(503, new CodesyncError('SHUTTING_DOWN', 'the agent is stopping').toJSON());
    });
    const onClose = () => finish(499, null);
    const timer = setTimeout(() => finish(408, new CodesyncError('WAIT_TIMEOUT', `app ${app} did not arrive on this node within ${timeoutSeconds} s`).toJSON()), timeoutSeconds * 1000);
    res.once('close', onClose);
  });
}

function subscribe(url: URL, res: ServerResponse, { feed, hub }: RouteContext): void {
  const apps = new Set(url.searchParams.getAll('app').flatMap((value) => value.split(',')).filter((name) => name !== ''));
  for (const app of apps) assertAppName(app);
  const initial = (apps.size > 0 ? [...apps].map((app) => feed.current(app)) : feed.apps()).filter((activation): activation is ActiveRelease => Boolean(activation));
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
  res.flushHeaders();
  for (const activation of initial) res.write(activatedFrame(activation, true));
  hub.add(res, apps);
}

/** `event: activated` for one switch; `initial` marks the catch-up sent at subscription time. */
export function activatedFrame(activation: ActiveRelease, initial: boolean): string {
  return sseFrame('activated', activatedEvent(activation, initial));
}

async function acknowledge(app: string, req: IncomingMessage, res: ServerResponse, { feed }: RouteContext): Promise<void> {
  const ack = parseAck(await readJsonBody(req));
  if (!feed.current(app)) throw notHeld(app);
  feed.recordAck(app, ack);
  sendJson(res, 202, { accepted: true });
}

function notSelected(app: string, selection: AppSelection): CodesyncError {
  const labels = Object.entries(selection.labels).map(([key, value]) => `${key}=${value}`).join(',');
  return new CodesyncError('APP_NOT_SELECTED', `app ${app} will not arrive on node ${selection.node}: its selector ${JSON.stringify(selection.selector)} does not match the node's labels {${labels}}`, {
    details: { node: selection.node, selector: selection.selector, labels: selection.labels },
  });
}

function parseTimeout(value: string | null): number {
  if (value === null) return 300;
  const seconds = Number(value);
  if (value === '' || !Number.isFinite(seconds) || seconds < 0) throw new CodesyncError('INVALID_REQUEST', `timeout must be a number of seconds >= 0, got ${JSON.stringify(value)}`);
  return seconds;
}

function decodeAppName(segment: string): string {
  let app: string;
  try {
    app = decodeURIComponent(segment);
  } catch {
    app = segment;
  }
  assertAppName(app);
  return app;
}

function notHeld(app: string): CodesyncError {
  return new CodesyncError('APP_NOT_HELD', `this node does not hold app ${app} (yet)`);
}

function notFound(req: IncomingMessage): CodesyncError {
  return new CodesyncError('NOT_FOUND', `no route ${req.method} ${req.url?.split('?')[0]}`);
}
