/**
 * Every error codesync reports has a stable `code`. The server sends it as
 * `{"error": {"code", "message"}}` with `statusCode`; the CLI prints it; tests assert on it.
 * docs/errors.md documents each code, and test/protocol/errors-doc.unit.ts keeps the two in sync,
 * so a code added here without a doc line fails the build.
 */
export const ERROR_CODES = {
    // request shape
    INVALID_REQUEST: 400,
    INVALID_JSON: 400,
    INVALID_APP_NAME: 400,
    INVALID_SELECTOR: 400,
    INVALID_SHA256: 400,
    INVALID_SEQ: 400,
    META_TOO_LARGE: 400,
    MANIFEST_TOO_LARGE: 413,
    BODY_TOO_LARGE: 413,
    TRUNCATED_BODY: 400,
    UNSUPPORTED_MEDIA_TYPE: 415,
    // manifest and tree rules (docs/design.md#data-model)
    INVALID_PATH: 400,
    NAME_TOO_LONG: 400,
    PATH_TOO_LONG: 400,
    DUPLICATE_PATH: 400,
    PATH_CONFLICT: 400,
    INVALID_MODE: 400,
    INVALID_SYMLINK: 400,
    INVALID_ENTRY: 400,
    INVALID_TAR: 400,
    UNSUPPORTED_TAR_ENTRY: 400,
    UNSUPPORTED_FILE_TYPE: 400,
    TREE_CHANGED: 409,
    CHECKSUM_MISMATCH: 400,
    // state
    BLOBS_MISSING: 409,
    DELTA_BASE_MISMATCH: 409,
    NOTHING_TO_ROLL_BACK: 409,
    APP_EXISTS: 409,
    RANGE_NOT_SATISFIABLE: 416,
    // auth
    UNAUTHORIZED: 401,
    FORBIDDEN: 403,
    // lookups
    NOT_FOUND: 404,
    APP_NOT_FOUND: 404,
    RELEASE_NOT_FOUND: 404,
    BLOB_NOT_FOUND: 404,
    NODE_NOT_FOUND: 404,
    // pull slots (docs/throttling.md)
    SLOT_REQUIRED: 428,
    SLOT_EXPIRED: 410,
    SLOT_QUEUE_TIMEOUT: 429,
    // signed releases (docs/security.md)
    INVALID_SIGNATURE: 400,
    INVALID_KEY: 400,
    SIGNATURE_MISSING: 403,
    SIGNATURE_UNTRUSTED: 403,
    SIGNATURE_INVALID: 403,
    // imports from an rsync daemon (docs/migrate-from-rsync.md)
    INVALID_IMPORT_SOURCE: 400,
    IMPORT_UNREACHABLE: 502,
    IMPORT_TIMEOUT: 504,
    IMPORT_MODULE_NOT_FOUND: 502,
    IMPORT_AUTH_FAILED: 502,
    IMPORT_PARTIAL: 502,
    IMPORT_INTERRUPTED: 502,
    IMPORT_UNSTABLE: 409,
    IMPORT_INCOMPLETE: 409,
    IMPORT_FAILED: 502,
    // capacity and faults
    STORE_FULL: 507,
    SHUTTING_DOWN: 503,
    INTERNAL: 500,
    // agent and client side
    SERVER_UNREACHABLE: 502,
    SERVER_ERROR: 502,
    INVALID_RESPONSE: 502,
    RESPONSE_TOO_LARGE: 502,
    TLS_UNTRUSTED: 502,
    DISK_FULL: 507,
    ROOT_NOT_WRITABLE: 500,
    TREE_DAMAGED: 500,
    INVALID_DELTA: 502,
    UNSAFE_PATH: 500,
    SOCKET_IN_USE: 409,
    APP_NOT_HELD: 404,
    APP_NOT_SELECTED: 409,
    WAIT_TIMEOUT: 408,
    NO_NODES_SELECTED: 409,
    ROLLOUT_FAILED: 409,
    ROLLOUT_TIMEOUT: 408,
    ABORTED: 499,
    USAGE: 400,
};
/** The one error class of codesync: a stable code, an HTTP status, and optional details. */
export class CodesyncError extends Error {
    name = 'CodesyncError';
    code;
    statusCode;
    /** Extra machine-readable fields sent next to `error` (e.g. `missing` for BLOBS_MISSING). */
    details;
    constructor(code, message, options = {}) {
        super(message, options.cause === undefined ? undefined : { cause: options.cause });
        this.code = code;
        this.statusCode = ERROR_CODES[code];
        this.details = options.details;
    }
    toJSON() {
        return { error: { code: this.code, message: this.message }, ...this.details };
    }
}
export function isCodesyncError(err, code) {
    return err instanceof CodesyncError && (code === undefined || err.code === code);
}
export function isErrorCode(code) {
    return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}
//# sourceMappingURL=errors.js.map