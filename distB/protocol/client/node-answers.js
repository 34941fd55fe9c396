import { APP_NAME_PATTERN } from '../app-name.js';
import { LIMITS } from '../limits.js';
import { isManifestDigest, isSeq } from '../release-id.js';
import { checkMembers, misfit } from './answer-misfit.js';
const APP_NAME_RE = new RegExp(APP_NAME_PATTERN);
/** The key pattern of TypeBox's `Record(String, ...)`: a key holding a line break is not checked. */
const RECORD_KEY_RE = /^(.*)$/;
const isString = (value) => typeof value === 'string';
const isCount = (value) => Number.isInteger(value) && value >= 0;
const anything = () => true;
/** A release's `meta`: an object of strings (api.ts ReleaseMetaSchema). The misfit names the first bad value. */
function metaMisfit(value) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        return '';
    for (const [key, member] of Object.entries(value)) {
        if (RECORD_KEY_RE.test(key) && typeof member !== 'string')
            return `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    }
    return undefined;
}
const APP = { key: 'app', required: true, fits: (value) => typeof value === 'string' && value.length <= 63 && APP_NAME_RE.test(value), expected: 'Expected an app name', code: 'INVALID_APP_NAME' };
const SEQ = { key: 'seq', required: true, fits: isSeq, expected: 'Expected a positive safe integer', code: 'INVALID_SEQ' };
const DIGEST = { key: 'digest', required: true, fits: isManifestDigest, expected: 'Expected sha256: and 64 lowercase hex digits', code: 'INVALID_SHA256' };
const SIGNATURE = { key: 'signature', required: false, fits: anything, expected: '' };
const MANIFEST = [
    APP, SEQ, DIGEST,
    { key: 'createdAt', required: true, fits: isString, expected: 'Expected string' },
    { key: 'meta', required: true, fits: (value) => metaMisfit(value) === undefined, expected: 'Expected an object of strings', below: (value) => metaMisfit(value) ?? '' },
    { ...SEQ, key: 'rollbackOf', required: false },
    { key: 'files', required: true, fits: isCount, expected: 'Expected an integer of at least 0' },
    { key: 'bytes', required: true, fits: isCount, expected: 'Expected an integer of at least 0' },
    { key: 'entries', required: true, fits: (value) => Array.isArray(value) && value.length <= LIMITS.maxEntries, expected: `Expected an array of at most ${LIMITS.maxEntries} items` },
    SIGNATURE,
];
const DELTA = [
    APP, SEQ, { ...SEQ, key: 'base' }, DIGEST,
    { key: 'added', required: true, fits: anything, expected: '' },
    { key: 'changed', required: true, fits: anything, expected: '' },
    { key: 'removed', required: true, fits: anything, expected: '' },
    SIGNATURE,
];
const GRANT = [
    { key: 'slot', required: true, fits: (value) => typeof value === 'string' && value.length >= 1 && value.length <= 256, expected: 'Expected a string of 1 to 256 characters' },
    { key: 'ttlSeconds', required: true, fits: (value) => Number.isFinite(value) && value > 0, expected: 'Expected a number above 0' },
];
const QUEUED = [{ key: 'position', required: false, fits: isCount, expected: 'Expected an integer of at least 0' }];
/** `GET .../manifest`: a release summary with `entries` (a list, each entry still to pass the manifest rules). */
export function releaseManifestOf(value, what) {
    return checkMembers(value, what, MANIFEST);
}
/** `GET .../manifest?base=N`: `added`, `changed` and `removed` present, each still to pass the delta's rules. */
export function releaseDeltaOf(value, what) {
    return checkMembers(value, what, DELTA);
}
/** `POST /v1/pull-slots` granted: `{slot, ttlSeconds}`. */
export function pullSlotGrantOf(value, what) {
    return checkMembers(value, what, GRANT);
}
/** `POST /v1/pull-slots` 429: the place in line, when the server names it. */
export function pullSlotQueuedOf(value, what) {
    return checkMembers(value, what, QUEUED);
}
/** `GET /v1/apps` as the agent reads it: a list whose entries it checks one by one (server-listing.ts). */
export function uncheckedListOf(value, what) {
    if (!Array.isArray(value))
        throw misfit(what, '(the body)', 'Expected array');
    return value;
}
//# sourceMappingURL=node-answers.js.map