import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { CodesyncError } from './errors.js';
const SHA256_RE = /^[0-9a-f]{64}$/;
/** The sha256 of zero bytes: every empty file shares this blob. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
export function isSha256(value) {
    return typeof value === 'string' && SHA256_RE.test(value);
}
export function assertSha256(value) {
    if (!isSha256(value))
        throw new CodesyncError('INVALID_SHA256', `invalid sha256 ${JSON.stringify(value)}: want 64 lowercase hex digits`);
}
export function sha256Hex(data) {
    return createHash('sha256').update(data).digest('hex');
}
/** Hashes a file by streaming it; returns its sha256 and size as read. */
export async function hashFile(path, signal) {
    const hash = createHash('sha256');
    let size = 0;
    const stream = createReadStream(path, { highWaterMark: 1 << 20, signal });
    for await (const chunk of stream) {
        hash.update(chunk);
        size += chunk.length;
    }
    return { sha256: hash.digest('hex'), size };
}
//# sourceMappingURL=sha256.js.map