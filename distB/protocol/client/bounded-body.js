import { CodesyncError } from '../errors.js';
/**
 * Reads a whole body, but never more than `maxBytes`: a declared `Content-Length` over the bound is
 * refused before a byte is read, and a body that grows past it is cut off at once, so a hostile or
 * broken server costs at most `maxBytes` of memory.
 */
export async function readBounded(body, maxBytes, what, contentLength) {
    const declared = Number(Array.isArray(contentLength) ? contentLength[0] : contentLength);
    if (Number.isFinite(declared) && declared > maxBytes) {
        body.destroy();
        throw tooLarge(what, maxBytes, `declares ${declared} bytes`);
    }
    // A declared length is read into one buffer as it arrives: each chunk is garbage at once, where
    // holding them all for a concat at the end held the body twice (a 100 000-file manifest is 15 MB).
    if (Number.isSafeInteger(declared) && declared > 0)
        return readDeclared(body, declared, what);
    const chunks = [];
    let total = 0;
    for await (const chunk of body) {
        total += chunk.length;
        if (total > maxBytes) {
            body.destroy();
            throw tooLarge(what, maxBytes, `runs past ${maxBytes} bytes`);
        }
        chunks.push(chunk);
    }
    return Buffer.concat(chunks, total);
}
/** A body of `declared` bytes (within its bound), copied into one buffer; one that runs past it is refused. */
async function readDeclared(body, declared, what) {
    const bytes = Buffer.allocUnsafeSlow(declared);
    let total = 0;
    for await (const chunk of body) {
        if (total + chunk.length > declared) {
            body.destroy();
            throw tooLarge(what, declared, `runs past its declared ${declared} bytes`);
        }
        bytes.set(chunk, total);
        total += chunk.length;
    }
    // Shorter than declared: the transport fails such a body; what arrived is all there is.
    return total === declared ? bytes : bytes.subarray(0, total);
}
function tooLarge(what, maxBytes, how) {
    return new CodesyncError('RESPONSE_TOO_LARGE', `the answer to ${what} ${how}, over its bound of ${maxBytes} bytes; refused`, { details: { maxBytes } });
}
//# sourceMappingURL=bounded-body.js.map