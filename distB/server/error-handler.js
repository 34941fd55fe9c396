import { CodesyncError, isCodesyncError } from '../protocol/errors.js';
/** Errors of a body that stopped arriving: the client hung up or sent less than it declared. */
const TRUNCATION_CODES = new Set(['ECONNRESET', 'ERR_STREAM_PREMATURE_CLOSE', 'FST_ERR_CTP_INVALID_CONTENT_LENGTH', 'ECONNABORTED']);
/** Maps any error to the codesync error it is for the client. */
export function toCodesyncError(err) {
    if (isCodesyncError(err))
        return err;
    const error = err;
    const message = error?.message ?? String(err);
    if (error?.validation)
        return new CodesyncError('INVALID_REQUEST', message, { cause: err });
    if (error?.code === 'ENOSPC' || error?.code === 'EDQUOT')
        return new CodesyncError('STORE_FULL', 'the store is out of disk space', { cause: err });
    if (TRUNCATION_CODES.has(error?.code ?? '') || message === 'aborted')
        return new CodesyncError('TRUNCATED_BODY', 'the request body ended early', { cause: err });
    const byFastifyCode = {
        FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
        FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
        FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
        FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
        FST_ERR_CTP_INVALID_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
    };
    const mapped = byFastifyCode[error?.code ?? ''];
    if (mapped)
        return new CodesyncError(mapped, message, { cause: err });
    const status = error?.statusCode ?? 500;
    if (err instanceof SyntaxError && status === 400)
        return new CodesyncError('INVALID_JSON', `invalid JSON: ${message}`, { cause: err });
    if (status === 404)
        return new CodesyncError('NOT_FOUND', message, { cause: err });
    if (status === 413)
        return new CodesyncError('BODY_TOO_LARGE', message, { cause: err });
    if (status === 415)
        return new CodesyncError('UNSUPPORTED_MEDIA_TYPE', message, { cause: err });
    if (status >= 400 && status < 500)
        return new CodesyncError('INVALID_REQUEST', message, { cause: err });
    return new CodesyncError('INTERNAL', 'internal server error', { cause: err });
}
/**
 * Every error leaves as `{"error": {"code", "message"}}` (plus details such as `missing`).
 * Client errors are logged at info, faults of the server at error with the cause.
 */
export function registerErrorHandler(app) {
    app.setErrorHandler((err, request, reply) => {
        const error = toCodesyncError(err);
        // A full disk is no client's fault: operators must see it at error level like any fault.
        if (error.statusCode >= 500 && error.code !== 'SHUTTING_DOWN') {
            request.log.error({ err, code: error.code }, 'request failed');
        }
        else {
            request.log.info({ code: error.code, statusCode: error.statusCode, reason: error.message }, 'request refused');
        }
        if (reply.sent || reply.raw.headersSent)
            return;
        reply.code(error.statusCode).type('application/json').send(error.toJSON());
    });
    app.setNotFoundHandler((request, reply) => {
        reply.code(404).send(new CodesyncError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`).toJSON());
    });
}
/**
 * Errors Node raises before a request reaches fastify, mostly a socket that ended inside a body
 * (Content-Length longer than what was sent): answered in the API's error format.
 */
export function clientErrorHandler(err, socket) {
    if (err.code === 'ECONNRESET' || socket.destroyed)
        return;
    const truncated = err.code === 'HPE_INVALID_EOF_STATE';
    const error = truncated ? new CodesyncError('TRUNCATED_BODY', 'the request body ended before its declared length') : new CodesyncError('INVALID_REQUEST', `malformed HTTP request: ${err.code ?? err.message}`);
    const inFlight = socket._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
        const body = JSON.stringify(error.toJSON());
        socket.write(`HTTP/1.1 ${error.statusCode} Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    }
    socket.destroy(err);
}
//# sourceMappingURL=error-handler.js.map