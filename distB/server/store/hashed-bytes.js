import * as crypto from 'node:crypto';
import { CodesyncError } from '../../protocol/errors.js';
/**
 * `crypto.hash` (Node 20.12 on), a digest without a Hash object: a cold publish of 100 000 small
 * files made one each, objects with a native half that were a share of the server's GC time.
 */
const oneShot = crypto.hash;
/** A small blob's bytes already in memory (a tar entry), hashed once: staging them needs no second pass. */
export class HashedBytes {
    bytes;
    sha256;
    constructor(bytes) {
        this.bytes = bytes;
        this.sha256 = oneShot ? oneShot('sha256', bytes, 'hex') : crypto.createHash('sha256').update(bytes).digest('hex');
    }
    /** Throws CHECKSUM_MISMATCH or TRUNCATED_BODY when these are not the bytes `expected`. */
    check(expected) {
        checkExpected(this.bytes.length, this.sha256, expected);
    }
}
/** Throws TRUNCATED_BODY or CHECKSUM_MISMATCH when `size` and `sha256` are not what was `expected`. */
export function checkExpected(size, sha256, expected) {
    if (expected?.size !== undefined && size !== expected.size) {
        throw new CodesyncError('TRUNCATED_BODY', `blob body has ${size} bytes, expected ${expected.size}`);
    }
    if (expected?.sha256 !== undefined && sha256 !== expected.sha256) {
        throw new CodesyncError('CHECKSUM_MISMATCH', `blob bytes hash to ${sha256}, not ${expected.sha256}`);
    }
}
//# sourceMappingURL=hashed-bytes.js.map