import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';

/**
 * The seam between the blob transfer routes (`GET /v1/blobs/:sha256`, `POST /v1/blobs:fetch`,
 * `GET .../pack`) and the pull meter of docs/throttling.md. Routes call `admit` before sending a byte and
 * pipe what they send through `transfer.wrap`, so slots, renewals, bandwidth caps and byte
 * counting live in one place (server/pull-slots/) and the routes stay plain.
 */
export interface BlobGate {
  /** Throws a CodesyncError (SLOT_REQUIRED, SLOT_EXPIRED, ...) to refuse the request. */
  admit(request: FastifyRequest): Promise<BlobTransfer>;
}

export interface BlobTransfer {
  /** Wraps the bytes about to be sent: may meter, count or pace them; may return `body` as is. */
  wrap(body: Readable): Readable;
  /** `wrap` for a body already in memory: the bytes as they are when nothing paces them. */
  wrapBytes(bytes: Buffer): Buffer | Readable;
  /** Called exactly once, when the response finished or was aborted. */
  done(): void;
}

/** No metering: every request is admitted at once. */
export const openGate: BlobGate = {
  admit: async () => ({ wrap: (body) => body, wrapBytes: (bytes) => bytes, done: () => {} }),
};
