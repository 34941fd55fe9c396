import { assertAppName } from '../../../protocol/app-name.js';
import { CodesyncError } from '../../../protocol/errors.js';
import { activatedEvent, heldApp } from '../../../protocol/reload-socket.js';
import { parseAck, readJsonBody } from './ack-body.js';
import { sseFrame } from '../../../protocol/runtime/sse-hub.js';
const APP_ROUTE = /^\/v1\/apps\/([^/]+)(\/wait|\/acks)?$/;
/** The socket API of docs/agent.md. Resolves once the response is complete or handed to the hub. */
export async function route(req, res, context) {
    const url = new URL(req.url ?? '/', 'http://codesync');
    if (url.pathname === '/v1/events' && req.method === 'GET')
        return subscribe(url, res, context);
    const match = APP_ROUTE.exec(url.pathname);
    if (!match)
        throw notFound(req);
    const app = decodeAppName(match[1]);
    if (match[2] === undefined && req.method === 'GET')
        return getApp(app, res, context);
    if (match[2] === '/wait' && req.method === 'GET')
        return waitForApp(app, url, res, context);
    if (match[2] === '/acks' && req.method === 'POST')
        return acknowledge(app, req, res, context);
    throw notFound(req);
}
export function sendJson(res, status, body) {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
}
function getApp(app, res, { feed }) {
    const activation = feed.current(app);
    if (!activation)
        throw notHeld(app);
    sendJson(res, 200, heldApp(activation));
}
function waitForApp(app, url, res, context) {
    const timeoutSeconds = Math.min(parseTimeout(url.searchParams.get('timeout')), context.maxWaitSeconds);
    const present = context.feed.current(app);
    if (present)
        return Promise.resolve(sendJson(res, 200, heldApp(present)));
    // An init container would otherwise wait out its timeout and crash-loop with no hint why.
    const selection = context.selection?.(app);
    if (selection && !selection.selected)
        throw notSelected(app, selection);
    return new Promise((resolve) => {
        const finish = (status, body) => {
            clearTimeout(timer);
            cancel();
            res.off('close', onClose);
            if (!res.writableEnded && !res.destroyed)
                sendJson(res, status, body);
            resolve();
        };
        const cancel = context.waiters.add(app, (activated) => {
            if (activated)
                finish(200, heldApp(activated));
            else
                finish(503, new CodesyncError('SHUTTING_DOWN', 'the agent is stopping').toJSON());
        });
        const onClose = () => finish(499, null);
        const timer = setTimeout(() => finish(408, new CodesyncError('WAIT_TIMEOUT', `app ${app} did not arrive on this node within ${timeoutSeconds} s`).toJSON()), timeoutSeconds * 1000);
        res.once('close', onClose);
    });
}
function subscribe(url, res, { feed, hub }) {
    const apps = new Set(url.searchParams.getAll('app').flatMap((value) => value.split(',')).filter((name) => name !== ''));
    for (const app of apps)
        assertAppName(app);
    const initial = (apps.size > 0 ? [...apps].map((app) => feed.current(app)) : feed.apps()).filter((activation) => Boolean(activation));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    res.flushHeaders();
    for (const activation of initial)
        res.write(activatedFrame(activation, true));
    hub.add(res, apps);
}
/** `event: activated` for one switch; `initial` marks the catch-up sent at subscription time. */
export function activatedFrame(activation, initial) {
    return sseFrame('activated', activatedEvent(activation, initial));
}
async function acknowledge(app, req, res, { feed }) {
    const ack = parseAck(await readJsonBody(req));
    if (!feed.current(app))
        throw notHeld(app);
    feed.recordAck(app, ack);
    sendJson(res, 202, { accepted: true });
}
function notSelected(app, selection) {
    const labels = Object.entries(selection.labels).map(([key, value]) => `${key}=${value}`).join(',');
    return new CodesyncError('APP_NOT_SELECTED', `app ${app} will not arrive on node ${selection.node}: its selector ${JSON.stringify(selection.selector)} does not match the node's labels {${labels}}`, {
        details: { node: selection.node, selector: selection.selector, labels: selection.labels },
    });
}
function parseTimeout(value) {
    if (value === null)
        return 300;
    const seconds = Number(value);
    if (value === '' || !Number.isFinite(seconds) || seconds < 0)
        throw new CodesyncError('INVALID_REQUEST', `timeout must be a number of seconds >= 0, got ${JSON.stringify(value)}`);
    return seconds;
}
function decodeAppName(segment) {
    let app;
    try {
        app = decodeURIComponent(segment);
    }
    catch {
        app = segment;
    }
    assertAppName(app);
    return app;
}
function notHeld(app) {
    return new CodesyncError('APP_NOT_HELD', `this node does not hold app ${app} (yet)`);
}
function notFound(req) {
    return new CodesyncError('NOT_FOUND', `no route ${req.method} ${req.url?.split('?')[0]}`);
}
//# sourceMappingURL=routes.js.map