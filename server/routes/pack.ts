import type { FastifyInstance } from 'fastify';
import { createHash } from 'node:crypto';
import { blobsAdded } from '../../protocol/delta.js';
import type { ManifestEntry } from '../../protocol/manifest.js';
import type { ServerContext } from '../context.js';
import { sendGated } from '../http/gated-send.js';
import { etagMatches, IMMUTABLE } from '../http/caching.js';
import { releaseStep } from '../http/release-step.js';
import { blobTar } from '../tar/blob-tar.js';

/**
 * `GET /v1/apps/{app}/releases/{seq}/pack?base={seq}`: one deterministic tar of the blobs a
 * release adds over its base, sorted by sha256 — the same bytes for every node making the same
 * step, so an HTTP cache in front serves them all from one origin read.
 */
export function packRoutes(context: ServerContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/v1/apps/:app/releases/:seq/pack', async (request, reply) => {
      const { record, baseRecord } = await releaseStep(context.releases, request);
      // The blob set is a function of the two digests, so they name the pack.
      const etag = `"${createHash('sha256').update(`${record.digest}\n${baseRecord?.digest ?? ''}`).digest('hex')}"`;
      reply.header('cache-control', IMMUTABLE).header('etag', etag).type('application/x-tar');
      if (etagMatches(request.headers['if-none-match'], [etag])) return reply.code(304).send();
      const blobs = packBlobs(record.entries, baseRecord?.entries);
      if (request.method === 'HEAD') return reply.send();
      return sendGated(context, request, reply, () => blobTar(context.blobs, blobs));
    });
  };
}

function packBlobs(entries: readonly ManifestEntry[], base: readonly ManifestEntry[] | undefined): { sha256: string; size: number }[] {
  const wanted = blobsAdded(base ?? [], entries);
  const sizes = new Map<string, number>();
  for (const entry of entries) if (entry.type === 'file' && wanted.has(entry.sha256)) sizes.set(entry.sha256, entry.size);
  return [...sizes.keys()].sort().map((sha256) => ({ sha256, size: sizes.get(sha256)! }));
}
