import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { HeapRelease } from '../../protocol/runtime/heap-release.js';
import type { ServerContext } from '../context.js';
import { sha256Param } from '../http/params.js';
import { uploadBlobs } from '../tar/blob-upload.js';

/**
 * Old-space growth at which a tar upload's end collects: a cold publish's upload promotes ~500
 * bytes of garbage a blob (what each blob holds until its batch commits), and V8, left alone, let
 * that grow to 60-80 MiB past the live heap of a 100 000-file upload before its own full
 * collection (server RSS 190-205 MiB before the manifest was even posted). The old space, not
 * the heap in use, which counts the young generation's 0-16 MiB too. 9 full collections in all
 * (~140 ms) during a cold publish of 100 000 files, with the two of publish-body.ts.
 */
const UPLOAD_SLACK_BYTES = 16 * 1024 * 1024;

/** `PUT /v1/blobs/{sha256}` (raw bytes) and `POST /v1/blobs` (tar of blobs named by sha256). */
export function blobUploadRoutes(context: ServerContext) {
  return async (app: FastifyInstance): Promise<void> => {
    const release = new HeapRelease({ gauge: 'oldSpace', slackBytes: UPLOAD_SLACK_BYTES });
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
      const stored = await context.blobs.write(request.raw as Readable, { sha256, ...(size === undefined ? {} : { size }) });
      request.log.debug({ sha256, size: stored.size }, 'blob stored');
      return reply.code(stored.created ? 201 : 200).send(stored);
    });

    app.post('/v1/blobs', async (request, reply) => {
      const gzip = (request.headers['content-type'] ?? '').includes('gzip');
      const stored = await uploadBlobs(request.raw as Readable, gzip, context.blobs);
      // Collected without a malloc trim: the next upload of the burst would fault its pages back.
      release.maybeRelease(false);
      request.log.debug({ blobs: stored.length }, 'blobs stored');
      return reply.code(200).send({ stored });
    });
  };
}
