import { Readable } from 'node:stream';
import { sendSlabs } from '../store/send-slabs.js';
import { admitGated } from './gated-send.js';
/**
 * Sends blob chunks of lent slabs (blob-tar-body.ts) through the blob gate (docs/throttling.md),
 * counting them; see `sendSlabStream`.
 */
export async function sendGatedSlabs(context, request, reply, chunks) {
    const { transfer, done } = await admitGated(context, request, reply);
    try {
        const counter = context.metrics.blobBytesSent;
        return await sendSlabStream(request, reply, transfer.wrap(Readable.from(chunks(), { objectMode: false })), (bytes) => counter.inc(bytes));
    }
    catch (err) {
        done();
        throw err;
    }
}
/**
 * Writes `body` (chunks that may be lent slabs, or pieces of them) to the response and hands
 * each slab back once the socket has written all of it: the write callback is the one signal that
 * no stream or socket queue still holds its bytes, so the body is written here rather than piped.
 * Backpressure is the socket's: the next chunk is asked for once the response drained. The first
 * chunk is read before the reply is taken over, so a body whose first read fails (a damaged
 * store) is still answered with an error status; a later failure cuts the response off, which
 * the client sees as a short body.
 */
export async function sendSlabStream(request, reply, body, count) {
    const iterator = body[Symbol.asyncIterator]();
    const first = await iterator.next();
    reply.hijack();
    const res = reply.raw;
    res.writeHead(reply.statusCode, reply.getHeaders());
    void writeAll(res, first, iterator, count).catch((err) => {
        request.log.warn({ err }, 'a body failed after its first bytes; the response is cut off');
        body.destroy();
        res.destroy();
    });
    return reply;
}
async function writeAll(res, first, iterator, count) {
    const handBack = (piece) => (err) => {
        if (!err)
            sendSlabs.written(piece);
    };
    for (let step = first; !step.done; step = await iterator.next()) {
        if (res.destroyed) {
            await iterator.return?.();
            return;
        }
        const chunk = step.value;
        count?.(chunk.length);
        if (!res.write(chunk, handBack(chunk)))
            await drained(res);
    }
    res.end();
}
/** Resolves when `res` can take more, or is closed. */
function drained(res) {
    return new Promise((resolve) => {
        const settle = () => {
            res.off('drain', settle);
            res.off('close', settle);
            resolve();
        };
        res.on('drain', settle);
        res.on('close', settle);
    });
}
//# sourceMappingURL=slab-send.js.map