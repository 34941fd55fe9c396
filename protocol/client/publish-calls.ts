import type { Readable } from 'node:stream';
import type { AppSpec, ImportResponse, PublishResponse } from '../api.js';
import { MEDIA_TYPES } from '../api-names.js';
import { errorFromResponse } from './error-mapping.js';
import { jsonBody, type Call, type HttpTransport } from './http-transport.js';
import { parseJsonAnswer } from './json-answer.js';
import { missingBlobsOf, publishResponseOf } from './publish-answers.js';
import { RESPONSE_LIMITS } from './response-limits.js';
import { routes } from './routes.js';

// The calls that change what the server holds: blobs up, manifests, rollbacks, imports. A publish's
// answers are checked by hand (publish-answers.ts), so the publish path loads no schema compiler.

/** The outcome of posting a manifest: published, or the blobs the server still lacks. */
export type ManifestOutcome = { published: PublishResponse } | { missing: string[] };

/** POSTs an encoded manifest; 409 BLOBS_MISSING becomes `{missing}`, not an error. With `create`, a missing app is created with that spec. */
export async function publishManifestJson(http: HttpTransport, app: string, body: string, signal: AbortSignal, create?: AppSpec): Promise<ManifestOutcome> {
  const route = create ? routes.releasesCreating(app, create) : routes.releases(app);
  const what = `POST ${route}`;
  // A 409 is read as the answer it is (which blobs to upload), not raised and caught as an error.
  const call: Call = { method: 'POST', signal, body, contentType: MEDIA_TYPES.json, headersTimeout: http.timeouts.uploadHeadersMs, pass: [409] };
  const response = await http.send(route, call);
  const conflict = response.statusCode === 409;
  const bytes = await http.read(response.body, conflict ? RESPONSE_LIMITS.missingAfterPublish : RESPONSE_LIMITS.json, what, response.headers, signal);
  if (!conflict) return { published: publishResponseOf(parseJsonAnswer(bytes, what), what) };
  const text = bytes.toString('utf8');
  const answer = blobsMissingAnswer(text);
  if (!answer) throw errorFromResponse(409, text, what);
  return { missing: missingBlobsOf(answer.missing, `${what} (missing)`) };
}

export async function rollback(http: HttpTransport, app: string, toSeq: number | undefined, signal: AbortSignal): Promise<PublishResponse> {
  return http.json((await import('../api.js')).PublishResponseSchema, routes.rollback(app), { method: 'POST', signal, ...jsonBody(toSeq === undefined ? {} : { toSeq }) });
}

/** Asks the server to import `source` (rsync://...) as a release of `app`. */
export async function importTree(http: HttpTransport, app: string, source: string, meta: Record<string, string>, signal: AbortSignal): Promise<ImportResponse> {
  return http.json((await import('../api.js')).ImportResponseSchema, routes.imports(app), { method: 'POST', signal, headersTimeout: http.timeouts.importHeadersMs, ...jsonBody({ source, meta }) });
}

/** Uploads one blob; the server verifies `sha256` before keeping it. */
export async function putBlob(http: HttpTransport, sha256: string, body: Readable | Buffer, size: number, signal: AbortSignal): Promise<void> {
  await http.discard(routes.blob(sha256), { method: 'PUT', signal, body, contentType: MEDIA_TYPES.octetStream, contentLength: size, headersTimeout: http.timeouts.uploadHeadersMs });
}

/** Whether the server holds blob `sha256` (`HEAD /v1/blobs/{sha256}`: headers only, no pull slot). */
export async function hasBlob(http: HttpTransport, sha256: string, signal: AbortSignal, headersTimeout?: number): Promise<boolean> {
  const route = routes.blob(sha256);
  const response = await http.send(route, { method: 'HEAD', signal, pass: [404], headersTimeout });
  await http.read(response.body, RESPONSE_LIMITS.json, `HEAD ${route}`, response.headers, signal);
  return response.statusCode !== 404;
}

/** Uploads many blobs as one tar stream whose entries are named by their sha256. */
export async function postBlobs(http: HttpTransport, tar: Readable, signal: AbortSignal): Promise<void> {
  await http.discard(routes.blobs(), { method: 'POST', signal, body: tar, contentType: MEDIA_TYPES.tar, headersTimeout: http.timeouts.uploadHeadersMs });
}

/** The 409 of a publish that names the blobs to upload (docs/api.md#publish), or undefined for any other 409. */
function blobsMissingAnswer(text: string): { missing: unknown } | undefined {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown }; missing?: unknown } | null;
    return body?.error?.code === 'BLOBS_MISSING' ? { missing: body.missing } : undefined;
  } catch {
    return undefined;
  }
}
