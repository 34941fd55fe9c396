import { assertAppName } from '../../protocol/app-name.js';
import { CodesyncError } from '../../protocol/errors.js';
import { assertSha256 } from '../../protocol/sha256.js';
export function appParam(params) {
    const app = params.app;
    assertAppName(app);
    return app;
}
export function sha256Param(params) {
    const sha256 = params.sha256;
    assertSha256(sha256);
    return sha256;
}
/** A positive integer seq from a path or query value. */
export function parseSeq(value, name = 'seq') {
    const seq = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(seq) || seq < 1)
        throw new CodesyncError('INVALID_SEQ', `${name} must be a positive integer, got ${JSON.stringify(value)}`);
    return seq;
}
/** The optional `?base=` of manifest and pack requests. */
export function baseQuery(query) {
    const base = query.base;
    return base === undefined || base === '' ? undefined : parseSeq(base, 'base');
}
//# sourceMappingURL=params.js.map