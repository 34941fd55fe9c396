import * as crypto from 'node:crypto';
import { CodesyncError } from '../../protocol/errors.js';

/** What an upload says a blob is: its sha256 (from the URL or tar name), its size (Content-Length). */
export interface BlobExpectation {
  sha256?: string;
  size?: number;
}

/**
 * `crypto.hash` (Node 20.12 on), a digest without a Hash object: a cold publish of 100 000 small
 * files made one each, objects with a native half that were a share of the server's GC time.
 */
const oneShot = (crypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'hex') => string }).hash;

/** A small blob's bytes already in memory (a tar entry), hashed once: staging them needs no second pass. */
export class HashedBytes {
  readonly sha256: string;

  constructor(readonly bytes: Uint8Array) {
    this.sha256 = oneShot ? oneShot('sha256', bytes, 'hex') : crypto.createHash('sha256').update(bytes).digest('hex');
  }

  /** Throws CHECKSUM_MISMATCH or TRUNCATED_BODY when these are not the bytes `expected`. */
  check(expected: BlobExpectation | undefined): void {
    checkExpected(this.bytes.length, this.sha256, expected);
  }
}

/** Throws TRUNCATED_BODY or CHECKSUM_MISMATCH when `size` and `sha256` are not what was `expected`. */
export function checkExpected(size: number, sha256: string, expected: BlobExpectation | undefined): void {
  if (expected?.size !== undefined && size !== expected.size) {
    throw new CodesyncError('TRUNCATED_BODY', `blob body has ${size} bytes, expected ${expected.size}`);
  }
  if (expected?.sha256 !== undefined && sha256 !== expected.sha256) {
    throw new CodesyncError('CHECKSUM_MISMATCH', `blob bytes hash to ${sha256}, not ${expected.sha256}`);
  }
}
