import { pipeline } from 'node:stream';
import { createGzip } from 'node:zlib';
import { BlobFetchRequestSchema } from '../../protocol/api.js';
import { CodesyncError } from '../../protocol/errors.js';
import { LIMITS } from '../../protocol/limits.js';
import { sendGated, sendGatedBytes } from '../http/gated-send.js';
import { etagMatches, IMMUTABLE } from '../http/caching.js';
import { sha256Param } from '../http/params.js';
import { parseRange } from '../http/range.js';
import { mapLimit } from '../../protocol/runtime/map-limit.js';
import { blobListOf } from '../http/blob-list.js';
import { blobTarChunks } from '../http/blob-tar-body.js';
import { sendGatedSlabs } from '../http/slab-send.js';
/** Below this, gzip framing costs more than it saves. */
const GZIP_MIN_BYTES = 1024;
/** Up to this, a whole blob is read into one buffer: a stream costs more CPU than such bytes. */
const BUFFERED_MAX_BYTES = 64 * 1024;
/** `GET /v1/blobs/{sha256}` (ETag, Range, gzip) and `POST /v1/blobs:fetch` (tar of many). */
export function blobDownloadRoutes(context) {
    return async (parent) => {
        const app = parent.withTypeProvider();
        app.get('/v1/blobs/:sha256', (request, reply) => sendBlob(context, request, reply));
        // '::' is fastify's escape for a literal ':' in a path.
        // Its own body limit: LIMITS.maxFetchBlobs hashes do not fit the 1 MiB of other JSON bodies.
        app.post('/v1/blobs::fetch', { config: { scope: 'read' }, bodyLimit: LIMITS.maxFetchBodyBytes, schema: { body: BlobFetchRequestSchema } }, async (request, reply) => {
            const wanted = [...new Set(request.body.sha256)];
            if (wanted.length > LIMITS.maxFetchBlobs)
                throw new CodesyncError('INVALID_REQUEST', `at most ${LIMITS.maxFetchBlobs} blobs per fetch, got ${wanted.length}`);
            const sizes = await mapLimit(wanted, 64, (sha256) => context.blobs.size(sha256));
            const missing = wanted.filter((_, index) => sizes[index] === undefined);
            if (missing.length > 0)
                throw new CodesyncError('BLOB_NOT_FOUND', `${missing.length} blob(s) are not stored`, { details: { missing } });
            reply.type('application/x-tar');
            return sendGatedSlabs(context, request, reply, () => blobTarChunks(context.blobs, blobListOf(wanted.map((sha256, index) => ({ sha256, size: sizes[index] })))));
        });
    };
}
async function sendBlob(context, request, reply) {
    const sha256 = sha256Param(request.params);
    const size = await context.blobs.size(sha256);
    if (size === undefined)
        throw new CodesyncError('BLOB_NOT_FOUND', `blob ${sha256} is not stored`);
    const etag = `"${sha256}"`;
    const gzipEtag = `"${sha256}-gzip"`;
    reply.header('cache-control', IMMUTABLE).header('accept-ranges', 'bytes').header('vary', 'accept-encoding').type('application/octet-stream');
    if (etagMatches(request.headers['if-none-match'], [etag, gzipEtag]))
        return reply.header('etag', etag).code(304).send();
    const range = parseRange(request.headers.range, size);
    const gzip = !range && size >= GZIP_MIN_BYTES && /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
    reply.header('etag', gzip ? gzipEtag : etag);
    if (range === 'unsatisfiable') {
        reply.header('content-range', `bytes */${size}`);
        throw new CodesyncError('RANGE_NOT_SATISFIABLE', `range ${request.headers.range} lies outside the blob's ${size} bytes`);
    }
    if (range)
        reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`).header('content-length', range.end - range.start + 1);
    else if (gzip)
        reply.header('content-encoding', 'gzip');
    else
        reply.header('content-length', size);
    if (request.method === 'HEAD')
        return reply.send();
    if (size === 0)
        return reply.send('');
    if (!range && !gzip && size <= BUFFERED_MAX_BYTES)
        return sendGatedBytes(context, request, reply, () => context.blobs.read(sha256, size));
    return sendGated(context, request, reply, () => {
        const body = context.blobs.open(sha256, range || undefined);
        // Level 1: blobs go to many nodes; CPU on the origin is the scarcer resource.
        return gzip ? pipeline(body, createGzip({ level: 1 }), () => { }) : body;
    });
}
//# sourceMappingURL=blob-download.js.map