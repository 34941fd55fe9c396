import { isManifestDigest, isSeq } from '../release-id.js';
import { isSha256 } from '../sha256.js';
import { misfit } from './answer-misfit.js';
/** `POST .../releases` (and rollback): `{seq, digest, unchanged?}`, other fields let through as the schema does. */
export function publishResponseOf(value, what) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw misfit(what, '(the body)', 'Expected object');
    const { seq, digest, unchanged } = value;
    if (!isSeq(seq))
        throw misfit(what, '/seq', 'Expected a positive safe integer', 'INVALID_SEQ');
    if (!isManifestDigest(digest))
        throw misfit(what, '/digest', 'Expected sha256: and 64 lowercase hex digits', 'INVALID_SHA256');
    if (unchanged !== undefined && typeof unchanged !== 'boolean')
        throw misfit(what, '/unchanged', 'Expected boolean');
    return value;
}
/** The `missing` list of a 409 BLOBS_MISSING: sha256s. */
export function missingBlobsOf(value, what) {
    if (!Array.isArray(value))
        throw misfit(what, '(the body)', 'Expected array');
    for (let i = 0; i < value.length; i++) {
        if (!isSha256(value[i]))
            throw misfit(what, `/${i}`, 'Expected 64 lowercase hex digits');
    }
    return value;
}
//# sourceMappingURL=publish-answers.js.map