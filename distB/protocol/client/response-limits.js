/**
 * Bytes a client reads of each kind of answer (docs/api.md, "Client bounds"). They follow the
 * protocol's limits (protocol/limits.ts): an answer can be as large as what the server accepts,
 * never more.
 */
import { LIMITS } from '../limits.js';
import { ERROR_BODY_MAX_BYTES } from './error-mapping.js';
/** Bytes of one `"<sha256>",` in a JSON list of blobs. */
const SHA256_JSON_BYTES = 67;
export const RESPONSE_LIMITS = {
    /** One object: an app, a release, a pull slot, a publish result. */
    json: LIMITS.maxJsonBytes,
    /** Lists that grow with the fleet: apps, releases, a rollout's nodes. */
    list: 16 * LIMITS.maxJsonBytes,
    /** A manifest or a delta between two: as large as a manifest may be published. */
    manifest: LIMITS.maxManifestBytes,
    /** A plain error body. */
    error: ERROR_BODY_MAX_BYTES,
    /** `BLOBS_MISSING` after a publish: names at most every blob of the manifest, so a manifest's bound. */
    missingAfterPublish: LIMITS.maxManifestBytes,
    /** `BLOB_NOT_FOUND` after `POST /v1/blobs:fetch`: names at most every blob asked for. */
    missingAfterFetch: LIMITS.maxFetchBlobs * SHA256_JSON_BYTES + ERROR_BODY_MAX_BYTES,
};
//# sourceMappingURL=response-limits.js.map