import { Type } from '@sinclair/typebox';
import { PullSlotRequestSchema } from '../../protocol/api.js';
import { CodesyncError } from '../../protocol/errors.js';
/** Longest long-poll a client may ask for: proxies and load balancers cut idle requests near 60 s. */
export const MAX_WAIT_SECONDS = 60;
const DEFAULT_WAIT_SECONDS = 30;
/**
 * What a 429 tells the client to wait before asking again. The client long-polls again right
 * after, so a short pause is enough; its place in line is kept meanwhile (SlotQueue parks it).
 */
const RETRY_AFTER_SECONDS = 1;
/** Agents hold read-scope tokens; without this, non-GET routes would need a publish token. */
const AGENT_SCOPE = { scope: 'read' };
const WaitQuerySchema = Type.Object({ wait: Type.Optional(Type.Integer({ minimum: 0 })) });
const SlotParamsSchema = Type.Object({ slot: Type.String({ minLength: 1, maxLength: 100 }) });
/**
 * `POST /v1/pull-slots` (long-poll for a slot), `PUT /v1/pull-slots/:slot` (renew) and
 * `DELETE /v1/pull-slots/:slot` (give back), docs/api.md and §4.
 */
export const pullSlotRoutes = async (instance, { queue }) => {
    const app = instance.withTypeProvider();
    const ttlSeconds = queue.ttlMs / 1000;
    const grant = (slot) => ({ slot: slot.id, ttlSeconds });
    // Long-polls would hold close() for up to a minute; on shutdown they end at once with 503.
    const closing = new AbortController();
    instance.addHook('preClose', async () => closing.abort());
    app.post('/v1/pull-slots', { schema: { body: PullSlotRequestSchema, querystring: WaitQuerySchema }, config: AGENT_SCOPE }, async (request, reply) => {
        const { node, app: appName, bytes = 0, cold = false } = request.body;
        const waitSeconds = Math.min(request.query.wait ?? DEFAULT_WAIT_SECONDS, MAX_WAIT_SECONDS);
        const log = request.log.child({ node, app: appName });
        const ticket = queue.ask({ node, app: appName, bytes, cold });
        const held = ticket.granted();
        if (held)
            return grant(held);
        log.info({ cold, bytes, position: ticket.position() }, 'pull slot queued');
        const outcome = await waitForSlot(ticket.wait.bind(ticket), reply, waitSeconds, closing.signal);
        const slot = ticket.granted();
        if (outcome === 'closing' && !slot) {
            ticket.leave();
            const error = new CodesyncError('SHUTTING_DOWN', 'the server is stopping; ask again');
            return reply.code(error.statusCode).header('retry-after', String(RETRY_AFTER_SECONDS)).send(error.toJSON());
        }
        if (outcome === 'client-gone') {
            // Granted in the same tick the client left: nobody will use it.
            if (slot)
                queue.release(slot.id);
            else
                ticket.leave();
            log.info('pull slot waiter left');
            return reply.code(499).send();
        }
        if (slot)
            return grant(slot);
        const position = ticket.position();
        ticket.park();
        log.debug({ position, waitSeconds }, 'pull slot long-poll ended');
        const error = new CodesyncError('SLOT_QUEUE_TIMEOUT', `no pull slot freed within ${waitSeconds} s; ask again (place ${position} is kept)`, { details: { position } });
        return reply.code(error.statusCode).header('retry-after', String(RETRY_AFTER_SECONDS)).send(error.toJSON());
    });
    app.put('/v1/pull-slots/:slot', { schema: { params: SlotParamsSchema }, config: AGENT_SCOPE }, async (request, reply) => {
        const slot = queue.renew(request.params.slot);
        if (!slot)
            return sendExpired(reply, request.params.slot);
        return grant(slot);
    });
    app.delete('/v1/pull-slots/:slot', { schema: { params: SlotParamsSchema }, config: AGENT_SCOPE }, async (request, reply) => {
        if (!queue.release(request.params.slot))
            return sendExpired(reply, request.params.slot);
        request.log.debug({ slot: request.params.slot }, 'pull slot released');
        return reply.code(204).send();
    });
};
/** Waits for the grant, the end of the long-poll, the client closing the connection, or shutdown. */
async function waitForSlot(wait, reply, waitSeconds, closing) {
    const controller = new AbortController();
    let outcome = 'timeout';
    const onClose = () => {
        outcome = 'client-gone';
        controller.abort();
    };
    const onClosing = () => {
        outcome = 'closing';
        controller.abort();
    };
    const timer = setTimeout(() => controller.abort(), waitSeconds * 1000);
    reply.raw.once('close', onClose);
    closing.addEventListener('abort', onClosing, { once: true });
    if (closing.aborted)
        onClosing();
    try {
        await wait(controller.signal);
        return 'granted';
    }
    catch {
        return outcome;
    }
    finally {
        clearTimeout(timer);
        reply.raw.off('close', onClose);
        closing.removeEventListener('abort', onClosing);
    }
}
function sendExpired(reply, id) {
    const error = new CodesyncError('SLOT_EXPIRED', `pull slot ${id} is unknown or its ttl passed`);
    return reply.code(error.statusCode).send(error.toJSON());
}
//# sourceMappingURL=routes.js.map