import { TypeCompiler } from '@sinclair/typebox/compiler';
import { CodesyncError, isErrorCode } from '../errors.js';
import { parseJsonAnswer } from './json-answer.js';
/** Each schema is compiled once, on first use: a compiled check is many times faster than Value.Check. */
const compiled = new WeakMap();
/** `value` typed by `schema`, or INVALID_RESPONSE naming the first field that does not fit. */
export function checkResponse(schema, value, what) {
    let check = compiled.get(schema);
    if (!check) {
        check = TypeCompiler.Compile(schema);
        compiled.set(schema, check);
    }
    if (check.Check(value))
        return value;
    const first = check.Errors(value).First();
    const where = first ? `${first.path || '(the body)'}: ${first.message}` : 'does not match the schema';
    // A field can name the protocol's code for its rule (api.ts), so a bad name or seq reads the same from any source.
    const code = first?.schema?.errorCode;
    throw new CodesyncError(isErrorCode(code) ? code : 'INVALID_RESPONSE', `the answer to ${what} is not what the protocol allows at ${where}`);
}
/** Parses a JSON answer, then checks it: a server that is not ours is refused, never half-read. */
export function parseResponse(schema, bytes, what) {
    return checkResponse(schema, parseJsonAnswer(bytes, what), what);
}
//# sourceMappingURL=response-check.js.map