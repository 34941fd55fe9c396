import { sha256Param } from '../http/params.js';
import { uploadBlobs } from '../tar/blob-upload.js';
/** `PUT /v1/blobs/{sha256}` (raw bytes) and `POST /v1/blobs` (tar of blobs named by sha256). */
export function blobUploadRoutes(context) {
    return async (app) => {
        // Blob bodies are bytes whatever their Content-Type says: never parse them.
        app.removeAllContentTypeParsers();
        app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
        app.put('/v1/blobs/:sha256', async (request, reply) => {
            const sha256 = sha256Param(request.params);
            if (await context.blobs.touch(sha256)) {
                // Already stored (and its GC grace restarted): the bytes need not be read at all.
                request.raw.resume();
                return reply.code(200).send({ sha256, size: await context.blobs.size(sha256), created: false });
            }
            const declared = request.headers['content-length'];
            const size = declared === undefined ? undefined : Number(declared);
            const stored = await context.blobs.write(request.raw, { sha256, ...(size === undefined ? {} : { size }) });
            request.log.debug({ sha256, size: stored.size }, 'blob stored');
            return reply.code(stored.created ? 201 : 200).send(stored);
        });
        app.post('/v1/blobs', async (request, reply) => {
            const gzip = (request.headers['content-type'] ?? '').includes('gzip');
            const stored = await uploadBlobs(request.raw, gzip, context.blobs);
            request.log.debug({ blobs: stored.length }, 'blobs stored');
            return reply.code(200).send({ stored });
        });
    };
}
//# sourceMappingURL=blob-upload.js.map