import { CodesyncError } from './errors.js';
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** The API's form (published in schemas): a whole number of at most nine digits, and a unit always. */
export const DURATION_PATTERN = '^[0-9]{1,9}(ms|s|m|h)$';
/** The flags' form: fractions (`1.5s`) and a bare number, which means the flag's own unit. */
const FLAG_DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;
/** Milliseconds of an API duration field; `what` names the field in the error. */
export function parseDuration(value, what) {
    const match = typeof value === 'string' ? new RegExp(DURATION_PATTERN).exec(value) : null;
    if (!match)
        throw new CodesyncError('INVALID_REQUEST', `${what} must be a duration such as 30s, 5m or 1h, got ${JSON.stringify(value)}`);
    return Number(value.slice(0, -match[1].length)) * UNIT_MS[match[1]];
}
/** Words for a bare number's unit in help and errors. */
export const UNIT_WORDS = { ms: 'milliseconds', s: 'seconds', m: 'minutes', h: 'hours' };
/**
 * Parser of a duration flag, to milliseconds. A bare number keeps the unit the flag always had
 * (`--debounce 300` is 300 ms, `--timeout 300` is 300 s), so no script changes meaning.
 * Anything else is a USAGE error (exit 2) naming the flag.
 */
export function durationFlag(flag, bareUnit, minMs = 0) {
    return (value) => {
        const match = FLAG_DURATION.exec(value.trim());
        const ms = match ? Math.round(Number(match[1]) * UNIT_MS[(match[2] ?? bareUnit)]) : NaN;
        if (!Number.isSafeInteger(ms)) {
            throw new CodesyncError('USAGE', `--${flag}: invalid duration ${JSON.stringify(value)}: want e.g. 200ms, 30s, 10m, 1h (a bare number is ${UNIT_WORDS[bareUnit]})`);
        }
        if (ms < minMs)
            throw new CodesyncError('USAGE', `--${flag} must be at least ${minMs} ms, got ${JSON.stringify(value)}`);
        return ms;
    };
}
//# sourceMappingURL=duration.js.map