import { MEDIA_TYPES } from '../api-names.js';
import { errorFromResponse } from './error-mapping.js';
import { jsonBody } from './http-transport.js';
import { parseJsonAnswer } from './json-answer.js';
import { missingBlobsOf, publishResponseOf } from './publish-answers.js';
import { RESPONSE_LIMITS } from './response-limits.js';
import { routes } from './routes.js';
/** POSTs an encoded manifest; 409 BLOBS_MISSING becomes `{missing}`, not an error. With `create`, a missing app is created with that spec. */
export async function publishManifestJson(http, app, body, signal, create) {
    const route = create ? routes.releasesCreating(app, create) : routes.releases(app);
    const what = `POST ${route}`;
    // A 409 is read as the answer it is (which blobs to upload), not raised and caught as an error.
    const call = { method: 'POST', signal, body, contentType: MEDIA_TYPES.json, headersTimeout: http.timeouts.uploadHeadersMs, pass: [409] };
    const response = await http.send(route, call);
    const conflict = response.statusCode === 409;
    const bytes = await http.read(response.body, conflict ? RESPONSE_LIMITS.missingAfterPublish : RESPONSE_LIMITS.json, what, response.headers, signal);
    if (!conflict)
        return { published: publishResponseOf(parseJsonAnswer(bytes, what), what) };
    const text = bytes.toString('utf8');
    const answer = blobsMissingAnswer(text);
    if (!answer)
        throw errorFromResponse(409, text, what);
    return { missing: missingBlobsOf(answer.missing, `${what} (missing)`) };
}
export async function rollback(http, app, toSeq, signal) {
    return http.json((await import('../api.js')).PublishResponseSchema, routes.rollback(app), { method: 'POST', signal, ...jsonBody(toSeq === undefined ? {} : { toSeq }) });
}
/** Asks the server to import `source` (rsync://...) as a release of `app`. */
export async function importTree(http, app, source, meta, signal) {
    return http.json((await import('../api.js')).ImportResponseSchema, routes.imports(app), { method: 'POST', signal, headersTimeout: http.timeouts.importHeadersMs, ...jsonBody({ source, meta }) });
}
/** Uploads one blob; the server verifies `sha256` before keeping it. */
export async function putBlob(http, sha256, body, size, signal) {
    await http.discard(routes.blob(sha256), { method: 'PUT', signal, body, contentType: MEDIA_TYPES.octetStream, contentLength: size, headersTimeout: http.timeouts.uploadHeadersMs });
}
/** Whether the server holds blob `sha256` (`HEAD /v1/blobs/{sha256}`: headers only, no pull slot). */
export async function hasBlob(http, sha256, signal, headersTimeout) {
    const route = routes.blob(sha256);
    const response = await http.send(route, { method: 'HEAD', signal, pass: [404], headersTimeout });
    await http.read(response.body, RESPONSE_LIMITS.json, `HEAD ${route}`, response.headers, signal);
    return response.statusCode !== 404;
}
/** Uploads many blobs as one tar stream whose entries are named by their sha256. */
export async function postBlobs(http, tar, signal) {
    await http.discard(routes.blobs(), { method: 'POST', signal, body: tar, contentType: MEDIA_TYPES.tar, headersTimeout: http.timeouts.uploadHeadersMs });
}
/** The 409 of a publish that names the blobs to upload (docs/api.md#publish), or undefined for any other 409. */
function blobsMissingAnswer(text) {
    try {
        const body = JSON.parse(text);
        return body?.error?.code === 'BLOBS_MISSING' ? { missing: body.missing } : undefined;
    }
    catch {
        return undefined;
    }
}
//# sourceMappingURL=publish-calls.js.map