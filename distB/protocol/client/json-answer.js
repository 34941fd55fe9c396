import { CodesyncError } from '../errors.js';
/** A JSON answer parsed, or INVALID_RESPONSE: a server that is not ours is refused, never half-read. */
export function parseJsonAnswer(bytes, what) {
    try {
        return JSON.parse(bytes.toString('utf8'));
    }
    catch (err) {
        throw new CodesyncError('INVALID_RESPONSE', `the answer to ${what} is not JSON: ${err.message}`);
    }
}
//# sourceMappingURL=json-answer.js.map