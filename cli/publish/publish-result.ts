import type { PublishResponse } from '../../protocol/api.js';

/** What one publish did: the release and the work it took (printed with --json, asserted by tests). */
export interface PublishResult extends Required<PublishResponse> {
  files: number;
  hashedFiles: number;
  hashedBytes: number;
  uploadedBlobs: number;
  uploadedBytes: number;
  /** Bytes of manifest JSON sent, over every POST of the manifest. */
  manifestBytes: number;
  /**
   * `delta` when the release went out as the change from the last release published from here
   * (docs/api.md#publish), `full` when the whole manifest was sent (first publish, or the base moved).
   */
  manifestForm: 'delta' | 'full';
  /**
   * True when the tree was the last published one with only `--changed-from`'s paths read again
   * false when the whole tree was walked.
   */
  listed: boolean;
  /** Wall-clock milliseconds per phase: where a slow publish spends its time. */
  timings: Record<PublishPhase, number>;
}

export const PUBLISH_PHASES = ['walk', 'hash', 'upload', 'manifest'] as const;
export type PublishPhase = (typeof PUBLISH_PHASES)[number];
