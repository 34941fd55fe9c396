import type { FastifyRequest } from 'fastify';
import type { ReleaseRecord } from '../store/records.js';
import type { ReleaseStore } from '../store/release-store.js';
import { appParam, baseQuery, parseSeq } from './params.js';

/**
 * The step `/v1/apps/:app/releases/:seq/...?base=N` names: the target release and, when asked,
 * the release a node holds. Manifest deltas and packs are both functions of this pair.
 */
export async function releaseStep(releases: ReleaseStore, request: FastifyRequest): Promise<{ record: ReleaseRecord; baseRecord: ReleaseRecord | undefined }> {
  const name = appParam(request.params);
  const seq = parseSeq((request.params as { seq: string }).seq);
  const base = baseQuery(request.query);
  const record = await releases.release(name, seq);
  const baseRecord = base === undefined ? undefined : await releases.release(name, base);
  return { record, baseRecord };
}
