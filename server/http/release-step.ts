import type { FastifyRequest } from 'fastify';
import type { CompactManifest } from '../../protocol/compact-manifest.js';
import type { ReleaseSummary } from '../../protocol/api.js';
import type { ReleaseStore } from '../store/release-store.js';
import { appParam, baseQuery, parseSeq } from './params.js';

/**
 * The step `/v1/apps/:app/releases/:seq/...?base=N` names: the target release and, when asked,
 * the release a node holds, with their manifests. Packs are a function of this pair.
 */
export async function releaseStep(releases: ReleaseStore, request: FastifyRequest): Promise<{ release: ReleaseSummary; manifest: CompactManifest; base: { release: ReleaseSummary; manifest: CompactManifest } | undefined }> {
  const name = appParam(request.params);
  const seq = parseSeq((request.params as { seq: string }).seq);
  const baseSeq = baseQuery(request.query);
  const release = releases.summary(name, seq);
  const baseRelease = baseSeq === undefined ? undefined : releases.summary(name, baseSeq);
  const manifest = await releases.manifest(name, seq);
  const base = baseRelease && { release: baseRelease, manifest: await releases.manifest(name, baseRelease.seq) };
  return { release, manifest, base };
}
