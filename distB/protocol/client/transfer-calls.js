import { HEADERS, MEDIA_TYPES } from '../api-names.js';
import { jsonBody, LONG_POLL_SLACK_MS } from './http-transport.js';
import { parseJsonAnswer } from './json-answer.js';
import { pullSlotGrantOf, pullSlotQueuedOf } from './node-answers.js';
import { RESPONSE_LIMITS } from './response-limits.js';
import { routes } from './routes.js';
/** One blob's bytes, streamed; `slot` when the server meters pulls. */
export async function blob(http, sha256, options) {
    return (await http.send(routes.blob(sha256), { method: 'GET', signal: options.signal, headers: slotHeader(options.slot) })).body;
}
/** The release pack over `base` (a tar of blobs named by sha256), streamed. */
export async function pack(http, app, seq, base, options) {
    return (await http.send(routes.pack(app, seq, base), { method: 'GET', signal: options.signal, headers: slotHeader(options.slot) })).body;
}
/** A tar of the named blobs, streamed (`POST /v1/blobs:fetch`). */
export async function fetchBlobs(http, sha256s, options) {
    const call = { method: 'POST', signal: options.signal, headers: slotHeader(options.slot), errorMaxBytes: RESPONSE_LIMITS.missingAfterFetch, ...jsonBody({ sha256: sha256s }) };
    return (await http.send(routes.blobsFetch(), call)).body;
}
/** The event stream (SSE), resumed after `lastEventId` when given; read until it ends. */
export async function events(http, options) {
    const headers = { accept: MEDIA_TYPES.eventStream };
    if (options.lastEventId !== undefined)
        headers[HEADERS.lastEventId] = options.lastEventId;
    return (await http.send(routes.events(options.apps), { method: 'GET', signal: options.signal, headers, bodyTimeout: http.timeouts.eventStreamIdleMs })).body;
}
/** Long-polls for a pull slot up to `waitSeconds`. */
export async function requestPullSlot(http, request, waitSeconds, signal) {
    const route = routes.pullSlots(waitSeconds);
    const what = `POST ${route}`;
    const call = { method: 'POST', signal, headersTimeout: waitSeconds * 1000 + LONG_POLL_SLACK_MS, pass: [404, 429], ...jsonBody(request) };
    const response = await http.send(route, call);
    const bytes = await http.read(response.body, response.statusCode === 404 ? RESPONSE_LIMITS.error : RESPONSE_LIMITS.json, what, response.headers, signal);
    if (response.statusCode === 404)
        return { kind: 'unmetered' };
    if (response.statusCode === 429) {
        const { position } = pullSlotQueuedOf(parseJsonAnswer(bytes, what), what);
        // Never below a second: a 429 that comes back at once must not turn into a busy loop.
        return { kind: 'queued', retryAfterMs: Math.max(1, retryAfterSeconds(response.headers['retry-after'])) * 1000, position };
    }
    return { kind: 'granted', grant: pullSlotGrantOf(parseJsonAnswer(bytes, what), what) };
}
/** Renews a granted slot; false when the server no longer knows it (expired). */
export async function renewPullSlot(http, slot, signal) {
    const response = await http.send(routes.pullSlot(slot), { method: 'PUT', signal, pass: [404, 410] });
    await http.read(response.body, RESPONSE_LIMITS.json, `PUT ${routes.pullSlot(slot)}`, response.headers, signal);
    return response.statusCode < 300;
}
export async function releasePullSlot(http, slot, signal) {
    await http.discard(routes.pullSlot(slot), { method: 'DELETE', signal, pass: [404, 410] });
}
/** Headers of a blob transfer: any media type back, and the pull slot when the server meters pulls. */
function slotHeader(slot) {
    return slot ? { accept: '*/*', [HEADERS.slot]: slot } : { accept: '*/*' };
}
/** `Retry-After` as seconds: delta-seconds or an HTTP date; 1 when absent or unreadable. */
function retryAfterSeconds(header) {
    const value = Array.isArray(header) ? header[0] : header;
    if (!value)
        return 1;
    const seconds = Number(value);
    if (Number.isFinite(seconds))
        return seconds;
    const date = Date.parse(value);
    return Number.isNaN(date) ? 1 : (date - Date.now()) / 1000;
}
//# sourceMappingURL=transfer-calls.js.map