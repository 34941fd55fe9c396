import { Readable } from 'node:stream';
import { HEADERS } from '../../protocol/api.js';
import { CodesyncError } from '../../protocol/errors.js';
/**
 * The BlobGate of a metering server: a blob request must name a live slot (428 without one,
 * 410 for an unknown or expired one: a clear answer, never a hang), renews it, and keeps it
 * alive while its bytes flow. Every response is counted as an open stream at the server, which
 * is what the tests and `codesync_server_blob_streams_peak` check the slot limit against.
 */
export function createMeteredGate(options) {
    const { queue, bandwidth, metrics } = options;
    return {
        async admit(request) {
            const slot = queue ? openUnderSlot(queue, request) : undefined;
            const context = slot ? { slot: slot.id, node: slot.node, app: slot.app } : {};
            request.log.debug({ ...context, openStreams: metrics.streamOpened() }, 'blob stream opened');
            let finished = false;
            return {
                wrap(body) {
                    return bandwidth ? paced(body, bandwidth) : body;
                },
                wrapBytes(bytes) {
                    return bandwidth ? paced(Readable.from([bytes]), bandwidth) : bytes;
                },
                done() {
                    if (finished)
                        return;
                    finished = true;
                    if (slot && queue)
                        queue.closeTransfer(slot);
                    request.log.debug({ ...context, openStreams: metrics.streamClosed() }, 'blob stream closed');
                },
            };
        },
    };
}
/**
 * `body` paced by the shared bucket. A response the client aborts destroys the blob read behind
 * it, without an error: body streams (tar packs) treat an error as a fault of their own.
 */
function paced(body, bandwidth) {
    const pacer = bandwidth.pace();
    body.once('error', (err) => pacer.destroy(err));
    pacer.once('close', () => {
        if (!body.destroyed)
            body.destroy();
    });
    return body.pipe(pacer);
}
function openUnderSlot(queue, request) {
    const header = request.headers[HEADERS.slot];
    const id = Array.isArray(header) ? header[0] : header;
    if (!id)
        throw new CodesyncError('SLOT_REQUIRED', `this server meters pulls: ask POST /v1/pull-slots for a slot and send it in ${HEADERS.slot}`);
    const slot = queue.openTransfer(id);
    if (!slot)
        throw new CodesyncError('SLOT_EXPIRED', `pull slot ${id} is unknown or its ttl passed; ask for a new one`);
    return slot;
}
//# sourceMappingURL=slot-gate.js.map