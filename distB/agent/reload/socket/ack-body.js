import { CodesyncError } from '../../../protocol/errors.js';
/** An ack is a few hundred bytes; the bound keeps a confused client from filling memory. */
const MAX_ACK_BYTES = 64 * 1024;
/** The node report keeps at most this much of an ack's message (protocol/api.ts AppReportSchema). */
const MAX_MESSAGE_CHARS = 4096;
export async function readJsonBody(req) {
    const chunks = [];
    let bytes = 0;
    for await (const chunk of req) {
        bytes += chunk.length;
        if (bytes > MAX_ACK_BYTES)
            throw new CodesyncError('BODY_TOO_LARGE', `an ack body is at most ${MAX_ACK_BYTES} bytes`);
        chunks.push(chunk);
    }
    try {
        return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    }
    catch (err) {
        throw new CodesyncError('INVALID_JSON', `the ack body is not valid JSON: ${err.message}`);
    }
}
/** `{pod, seq, ok, message?}`; a message over the report's bound keeps its tail, where errors are. */
export function parseAck(body) {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw invalid('the ack must be a JSON object {pod, seq, ok, message?}');
    const { pod, seq, ok, message } = body;
    if (typeof pod !== 'string' || pod.length === 0 || pod.length > 253)
        throw invalid('pod must be a non-empty string of at most 253 characters');
    if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0)
        throw invalid('seq must be an integer >= 0');
    if (typeof ok !== 'boolean')
        throw invalid('ok must be true or false');
    if (message !== undefined && typeof message !== 'string')
        throw invalid('message must be a string');
    const ack = { pod, seq, ok };
    if (message !== undefined)
        ack.message = message.length > MAX_MESSAGE_CHARS ? message.slice(-MAX_MESSAGE_CHARS) : message;
    return ack;
}
function invalid(message) {
    return new CodesyncError('INVALID_REQUEST', message);
}
//# sourceMappingURL=ack-body.js.map