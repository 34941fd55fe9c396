import { assertAppName } from '../../protocol/app-name.js';
import { CodesyncError } from '../../protocol/errors.js';
import { HEADERS } from '../../protocol/api.js';
import { sseFrame } from '../../protocol/runtime/sse-hub.js';
/**
 * `GET /v1/events?apps=a,b`: Server-Sent Events (`release`, `app`, `reset`). `Last-Event-ID`
 * replays what the client missed from the persisted log, or sends `reset` when that is gone.
 */
export function eventRoutes(context) {
    return async (app) => {
        app.get('/v1/events', async (request, reply) => {
            const apps = appsQuery(request.query.apps);
            const lastEventId = lastEventIdOf(request.headers[HEADERS.lastEventId]);
            reply.hijack();
            const response = reply.raw;
            response.writeHead(200, {
                'content-type': 'text/event-stream; charset=utf-8',
                'cache-control': 'no-cache, no-transform',
                connection: 'keep-alive',
                // Proxies such as nginx must pass each event on at once.
                'x-accel-buffering': 'no',
            });
            response.write(': connected\n\n');
            // Replay and subscription happen in one tick, so no event falls between them.
            if (lastEventId !== undefined) {
                const missed = context.events.since(lastEventId);
                if (missed === undefined) {
                    response.write(sseFrame('reset', { lastEventId: context.events.latestId }, context.events.latestId));
                }
                else {
                    for (const event of missed)
                        if (!apps || apps.has(event.app))
                            response.write(sseFrame(event.event, event.data, event.id));
                }
            }
            context.broadcaster.add(response, apps);
            request.log.debug({ apps: apps && [...apps], lastEventId }, 'event stream opened');
        });
    };
}
function appsQuery(value) {
    if (value === undefined || value === '')
        return undefined;
    if (typeof value !== 'string')
        throw new CodesyncError('INVALID_REQUEST', 'apps must be one comma-separated list');
    const apps = value.split(',').map((name) => name.trim()).filter(Boolean);
    for (const name of apps)
        assertAppName(name);
    return new Set(apps);
}
function lastEventIdOf(value) {
    if (typeof value !== 'string' || value.trim() === '')
        return undefined;
    const id = Number(value.trim());
    // An id this server never issued (garbage, or from another store) means: start over.
    return Number.isSafeInteger(id) && id >= 0 ? id : -1;
}
//# sourceMappingURL=events.js.map