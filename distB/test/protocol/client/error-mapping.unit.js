import t from 'tap';
import { errorFromResponse, transportError } from '../../../protocol/client/error-mapping.js';
import { CodesyncError } from '../../../protocol/errors.js';
const exchange = { what: 'GET /v1/apps', origin: 'https://codesync:7400' };
t.test("the server's code, message and extra fields are kept", async (t) => {
    const err = errorFromResponse(409, JSON.stringify({ error: { code: 'BLOBS_MISSING', message: 'upload 2 blobs' }, missing: ['a', 'b'] }), 'POST /v1/apps/web/releases');
    t.equal(err.code, 'BLOBS_MISSING');
    t.equal(err.message, 'upload 2 blobs');
    t.same(err.details, { missing: ['a', 'b'], status: 409 });
});
t.test('a code this client does not know is SERVER_ERROR naming it', async (t) => {
    const err = errorFromResponse(418, JSON.stringify({ error: { code: 'TEAPOT', message: 'short and stout' } }), 'GET /v1/apps');
    t.equal(err.code, 'SERVER_ERROR');
    t.match(err.message, /HTTP 418 TEAPOT: short and stout/);
});
t.test('a body that is not an error body is SERVER_ERROR with the status and a printable start', async (t) => {
    for (const body of ['<html><body>Teapot</body></html>', '{"error":"nope"}', '[1,2]', '{"error":{"code":7,"message":"x"}}', '']) {
        const err = errorFromResponse(500, body, 'GET /v1/apps');
        t.equal(err.code, 'SERVER_ERROR', body);
        t.match(err.message, /GET \/v1\/apps answered HTTP 500/);
        t.notMatch(err.message, /[\n\r\0]/);
    }
    t.match(errorFromResponse(500, 'line1\nline2\0', 'x').message, /line1 line2/);
});
t.test("a gateway's own 502/503/504 page means the server behind it is away: SERVER_UNREACHABLE", async (t) => {
    for (const status of [502, 503, 504])
        t.equal(errorFromResponse(status, '<html>Bad Gateway</html>', 'x').code, 'SERVER_UNREACHABLE', String(status));
    t.equal(errorFromResponse(503, JSON.stringify({ error: { code: 'SHUTTING_DOWN', message: 'stopping' } }), 'x').code, 'SHUTTING_DOWN', "the server's own code wins");
});
t.test('network failures are SERVER_UNREACHABLE, with the code in the message', async (t) => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_SOCKET']) {
        const err = transportError(Object.assign(new Error('boom'), { code }), exchange);
        t.equal(err.code, 'SERVER_UNREACHABLE', code);
        t.match(err.message, code);
        t.match(err.message, 'https://codesync:7400');
    }
});
t.test('an untrusted certificate is TLS_UNTRUSTED pointing at --ca-file, found in the cause chain too', async (t) => {
    for (const code of ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID']) {
        const direct = transportError(Object.assign(new Error('unable to verify'), { code }), exchange);
        t.equal(direct.code, 'TLS_UNTRUSTED', code);
        t.match(direct.message, /--ca-file/);
        const wrapped = transportError(new Error('fetch failed', { cause: Object.assign(new Error('x'), { code }) }), exchange);
        t.equal(wrapped.code, 'TLS_UNTRUSTED', `${code} as a cause`);
    }
});
t.test('https to a plain http server says so', async (t) => {
    const err = transportError(Object.assign(new Error('wrong version number'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER' }), exchange);
    t.equal(err.code, 'SERVER_UNREACHABLE');
    t.match(err.message, /does the server speak https/);
});
t.test('an aborted request is ABORTED whatever undici threw; a CodesyncError passes through', async (t) => {
    const controller = new AbortController();
    controller.abort(new Error('interrupted'));
    t.equal(transportError(Object.assign(new Error('x'), { code: 'ECONNRESET' }), { ...exchange, signal: controller.signal }).code, 'ABORTED');
    const own = new CodesyncError('RESPONSE_TOO_LARGE', 'too big');
    t.equal(transportError(own, exchange), own);
    t.equal(transportError(new Error('odd'), exchange).code, 'SERVER_ERROR');
});
//# sourceMappingURL=error-mapping.unit.js.map