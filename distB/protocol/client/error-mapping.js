/**
 * The one mapping from what a server (or the node agent's socket) answers, or fails to answer, to
 * a CodesyncError. Error bodies are `{"error": {"code", "message"}, ...details}` (docs/api.md);
 * the check here is by hand, not TypeBox, because the reload-hook sidecar in every pod uses it
 * too and should not load a schema compiler for four lines.
 */
import { CodesyncError, isErrorCode } from '../errors.js';
/** Bytes of an error body read before giving up on it; a real one is a few hundred. */
export const ERROR_BODY_MAX_BYTES = 64 * 1024;
/** Node's codes for a certificate the client cannot trust. */
const TLS_TRUST_CODES = new Set([
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN',
    'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'CERT_SIGNATURE_FAILURE',
    'CERT_REVOKED', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);
/** Codes meaning the server was not there or went away; with a timeout among them. */
const UNREACHABLE_CODES = new Set([
    'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'ENOENT',
    'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
    'EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER', 'ECONNABORTED',
]);
/** The error of a request that got no usable answer: aborted, untrusted, unreachable, or other. */
export function transportError(err, exchange) {
    const { what, origin, signal } = exchange;
    if (signal?.aborted)
        return new CodesyncError('ABORTED', `${what} aborted`, { cause: err });
    if (err instanceof CodesyncError)
        return err;
    const code = errorCode(err);
    const message = err instanceof Error ? err.message : String(err);
    const detail = code && !message.includes(code) ? `${code} ${message}` : message;
    if (code && TLS_TRUST_CODES.has(code)) {
        return new CodesyncError('TLS_UNTRUSTED', `${origin} presented a certificate this client does not trust (${detail}); pass --ca-file (or CODESYNC_CA_FILE) with the CA that signed it`, { cause: err });
    }
    if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO') {
        return new CodesyncError('SERVER_UNREACHABLE', `TLS handshake with ${origin} failed (${detail}): does the server speak ${origin.startsWith('https:') ? 'https' : 'http'}?`, { cause: err });
    }
    if (code && UNREACHABLE_CODES.has(code))
        return new CodesyncError('SERVER_UNREACHABLE', `cannot reach ${origin} (${what}): ${detail}`, { cause: err });
    return new CodesyncError('SERVER_ERROR', `${what} failed: ${detail}`, { cause: err });
}
/** Statuses a gateway (nginx, a load balancer) answers while the server behind it is away. */
const GATEWAY_STATUSES = new Set([502, 503, 504]);
/**
 * The error a non-2xx answer stands for: the server's own code when the body carries a known one;
 * a gateway's 502/503/504 page is SERVER_UNREACHABLE (the server behind it is restarting, retry);
 * anything else SERVER_ERROR naming the status. Fields next to `error` become `details` (e.g.
 * `missing` of BLOBS_MISSING); `status` is always among them.
 */
export function errorFromResponse(status, body, what) {
    const parsed = parseErrorBody(body);
    if (!parsed) {
        const message = `${what} answered HTTP ${status}${body ? `: ${printable(body)}` : ''}`;
        return new CodesyncError(GATEWAY_STATUSES.has(status) ? 'SERVER_UNREACHABLE' : 'SERVER_ERROR', message, { details: { status } });
    }
    const { code, message, details } = parsed;
    if (isErrorCode(code))
        return new CodesyncError(code, message, { details: { ...details, status } });
    return new CodesyncError('SERVER_ERROR', `${what} answered HTTP ${status} ${code}: ${message}`, { details: { ...details, status } });
}
function parseErrorBody(text) {
    let body;
    try {
        body = JSON.parse(text);
    }
    catch {
        return undefined;
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
        return undefined;
    const { error, ...details } = body;
    const fields = error;
    if (typeof fields?.code !== 'string' || typeof fields.message !== 'string')
        return undefined;
    return { code: fields.code, message: fields.message, details };
}
/** The start of a body that is not ours, safe to print on one line. */
function printable(text) {
    return text.slice(0, 200).replace(/[^\x20-\x7e]+/g, ' ').trim();
}
function errorCode(err) {
    for (let cause = err, depth = 0; cause && depth < 4; cause = cause.cause, depth++) {
        const code = cause.code;
        if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || TLS_TRUST_CODES.has(code)))
            return code;
    }
    const code = err?.code;
    return typeof code === 'string' ? code : undefined;
}
//# sourceMappingURL=error-mapping.js.map