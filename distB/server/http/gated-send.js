import { Transform, pipeline } from 'node:stream';
/**
 * Admits `request` through the blob gate (docs/throttling.md) before any byte is sent, and tells
 * the gate once when the response is over, however it ends. The caller calls `done` itself when
 * it fails before the response is under way.
 */
export async function admitGated(context, request, reply) {
    const transfer = await context.gate().admit(request);
    let finished = false;
    const done = () => {
        if (finished)
            return;
        finished = true;
        transfer.done();
    };
    reply.raw.once('close', done);
    return { transfer, done };
}
/**
 * Sends blob bytes through the blob gate: lets the gate wrap the body, counts the bytes and tells
 * the gate once when the response is over (`admitGated`).
 */
export async function sendGated(context, request, reply, open) {
    const { transfer, done } = await admitGated(context, request, reply);
    try {
        const counter = context.metrics.blobBytesSent;
        // pipeline, not pipe: a failing blob read must end the response instead of stalling it.
        const counted = pipeline(open(), new Transform({
            transform(chunk, _encoding, callback) {
                counter.inc(chunk.length);
                callback(null, chunk);
            },
        }), () => { });
        return reply.send(transfer.wrap(counted));
    }
    catch (err) {
        done();
        throw err;
    }
}
/**
 * `sendGated` for a small blob read whole into memory (`read`, called once admitted): one buffer
 * handed to the response, without the file stream, counter and pipeline a streamed body needs,
 * which cost a one-file sync more server CPU than its bytes.
 */
export async function sendGatedBytes(context, request, reply, read) {
    const { transfer, done } = await admitGated(context, request, reply);
    try {
        const bytes = await read();
        context.metrics.blobBytesSent.inc(bytes.length);
        return reply.send(transfer.wrapBytes(bytes));
    }
    catch (err) {
        done();
        throw err;
    }
}
//# sourceMappingURL=gated-send.js.map