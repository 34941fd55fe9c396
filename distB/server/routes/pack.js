import { createHash } from 'node:crypto';
import { PackedBlobList } from '../http/blob-list.js';
import { blobTarChunks } from '../http/blob-tar-body.js';
import { PackListCache } from '../http/pack-list-cache.js';
import { sendGatedSlabs } from '../http/slab-send.js';
import { etagMatches, IMMUTABLE } from '../http/caching.js';
import { releaseStep } from '../http/release-step.js';
/**
 * `GET /v1/apps/{app}/releases/{seq}/pack?base={seq}`: one deterministic tar of the blobs a
 * release adds over its base, sorted by sha256 — the same bytes for every node making the same
 * step, so an HTTP cache in front serves them all from one origin read.
 */
export function packRoutes(context) {
    const lists = new PackListCache();
    return async (app) => {
        app.get('/v1/apps/:app/releases/:seq/pack', async (request, reply) => {
            const { release, manifest, base } = await releaseStep(context.releases, request);
            // The blob set is a function of the two digests, so they name the pack.
            const etag = `"${createHash('sha256').update(`${release.digest}\n${base?.release.digest ?? ''}`).digest('hex')}"`;
            reply.header('cache-control', IMMUTABLE).header('etag', etag).type('application/x-tar');
            if (etagMatches(request.headers['if-none-match'], [etag]))
                return reply.code(304).send();
            if (request.method === 'HEAD')
                return reply.send();
            const blobs = lists.get(etag, () => PackedBlobList.packOf(manifest, base?.manifest));
            return sendGatedSlabs(context, request, reply, () => blobTarChunks(context.blobs, blobs));
        });
    };
}
//# sourceMappingURL=pack.js.map