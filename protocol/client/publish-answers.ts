/**
 * The answers of a publish, checked by hand: what api.ts's PublishResponseSchema and
 * MissingBlobsSchema allow, with the same codes and the same field paths in the message
 * (test/protocol/client/publish-answers.test.ts holds each check to its schema). Every CI publish
 * reads these two; checking them through TypeBox cost it loading a schema builder and compiler.
 */
import type { PublishResponse } from '../api.js';
import { isManifestDigest, isSeq } from '../release-id.js';
import { isSha256 } from '../sha256.js';
import { misfit } from './answer-misfit.js';

/** `POST .../releases` (and rollback): `{seq, digest, unchanged?}`, other fields let through as the schema does. */
export function publishResponseOf(value: unknown, what: string): PublishResponse {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw misfit(what, '(the body)', 'Expected object');
  const { seq, digest, unchanged } = value as Record<string, unknown>;
  if (!isSeq(seq)) throw misfit(what, '/seq', 'Expected a positive safe integer', 'INVALID_SEQ');
  if (!isManifestDigest(digest)) throw misfit(what, '/digest', 'Expected sha256: and 64 lowercase hex digits', 'INVALID_SHA256');
  if (unchanged !== undefined && typeof unchanged !== 'boolean') throw misfit(what, '/unchanged', 'Expected boolean');
  return value as PublishResponse;
}

/** The `missing` list of a 409 BLOBS_MISSING: sha256s. */
export function missingBlobsOf(value: unknown, what: string): string[] {
  if (!Array.isArray(value)) throw misfit(what, '(the body)', 'Expected array');
  for (let i = 0; i < value.length; i++) {
    if (!isSha256(value[i])) throw misfit(what, `/${i}`, 'Expected 64 lowercase hex digits');
  }
  return value as string[];
}

/**
 * The `latest` of `GET /v1/apps/{app}` as AppInfoSchema allows it (null, or a release with a seq
 * and a digest), the rest of the app left unread: what a listed publish checks its base against.
 */
export function latestReleaseOf(value: unknown, what: string): { seq: number; digest: string } | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw misfit(what, '(the body)', 'Expected object');
  const { latest } = value as Record<string, unknown>;
  if (latest === null) return null;
  if (typeof latest !== 'object' || latest === undefined || Array.isArray(latest)) throw misfit(what, '/latest', 'Expected object or null');
  const { seq, digest } = latest as Record<string, unknown>;
  if (!isSeq(seq)) throw misfit(what, '/latest/seq', 'Expected a positive safe integer', 'INVALID_SEQ');
  if (!isManifestDigest(digest)) throw misfit(what, '/latest/digest', 'Expected sha256: and 64 lowercase hex digits', 'INVALID_SHA256');
  return { seq, digest };
}
