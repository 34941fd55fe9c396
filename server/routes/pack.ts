import type { FastifyInstance } from 'fastify';
import { createHash } from 'node:crypto';
import type { CompactManifest } from '../../protocol/compact-manifest.js';
import type { ServerContext } from '../context.js';
import { blobTarChunks } from '../http/blob-tar-body.js';
import { sendGatedSlabs } from '../http/slab-send.js';
import { etagMatches, IMMUTABLE } from '../http/caching.js';
import { releaseStep } from '../http/release-step.js';

/**
 * `GET /v1/apps/{app}/releases/{seq}/pack?base={seq}`: one deterministic tar of the blobs a
 * release adds over its base, sorted by sha256 — the same bytes for every node making the same
 * step, so an HTTP cache in front serves them all from one origin read.
 */
export function packRoutes(context: ServerContext) {
  // A herd of cold nodes asks for the same step again and again; its blob list is a function of
  // the etag (the two digests), and walking a 10 000-entry manifest per request costs more CPU
  // than sending the pack's headers. The lists used last are kept, within PACK_LIST_BLOBS.
  const lists = new Map<string, PackBlob[]>();
  let held = 0;
  const listOf = (etag: string, target: CompactManifest, base: CompactManifest | undefined): PackBlob[] => {
    let list = lists.get(etag);
    if (list) lists.delete(etag);
    else {
      list = packBlobs(target, base);
      held += list.length;
    }
    lists.set(etag, list);
    for (const [oldest, dropped] of lists) {
      if (held <= PACK_LIST_BLOBS || oldest === etag) break;
      lists.delete(oldest);
      held -= dropped.length;
    }
    return list;
  };
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/v1/apps/:app/releases/:seq/pack', async (request, reply) => {
      const { release, manifest, base } = await releaseStep(context.releases, request);
      // The blob set is a function of the two digests, so they name the pack.
      const etag = `"${createHash('sha256').update(`${release.digest}\n${base?.release.digest ?? ''}`).digest('hex')}"`;
      reply.header('cache-control', IMMUTABLE).header('etag', etag).type('application/x-tar');
      if (etagMatches(request.headers['if-none-match'], [etag])) return reply.code(304).send();
      if (request.method === 'HEAD') return reply.send();
      const blobs = listOf(etag, manifest, base?.manifest);
      return sendGatedSlabs(context, request, reply, () => blobTarChunks(context.blobs, blobs));
    });
  };
}

/**
 * Blobs of the pack lists kept (about 150 B each: 15 MB). Enough for the step of a 100 000-file
 * cold node plus the small steps of updating ones; the list in use is kept whatever its size.
 */
const PACK_LIST_BLOBS = 100_000;

type PackBlob = { sha256: string; size: number };

/** The blobs `target` references that `base` does not, sorted by sha256, with their sizes. */
function packBlobs(target: CompactManifest, base: CompactManifest | undefined): PackBlob[] {
  const held = new Set<string>();
  if (base) for (const entry of base.entries()) if (entry.type === 'file') held.add(entry.sha256);
  const sizes = new Map<string, number>();
  for (const entry of target.entries()) if (entry.type === 'file' && !held.has(entry.sha256)) sizes.set(entry.sha256, entry.size);
  return [...sizes.keys()].sort().map((sha256) => ({ sha256, size: sizes.get(sha256)! }));
}
