import { CodesyncError } from './errors.js';
const MANIFEST_DIGEST_RE = /^sha256:[0-9a-f]{64}$/;
/** A release seq: a positive safe integer (seqs start at 1 in every store). */
export function isSeq(value) {
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}
export function assertSeq(value, what = 'seq') {
    if (!isSeq(value))
        throw new CodesyncError('INVALID_SEQ', `invalid ${what} ${JSON.stringify(value)}: want a positive integer`);
}
/** A manifest digest as releases carry it: `sha256:` and 64 lowercase hex digits. */
export function isManifestDigest(value) {
    return typeof value === 'string' && MANIFEST_DIGEST_RE.test(value);
}
export function assertManifestDigest(value) {
    if (!isManifestDigest(value))
        throw new CodesyncError('INVALID_SHA256', `invalid manifest digest ${JSON.stringify(value)}: want sha256: and 64 lowercase hex digits`);
}
//# sourceMappingURL=release-id.js.map