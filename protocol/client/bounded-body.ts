import { CodesyncError } from '../errors.js';

/** A response body as the transport gives it: bytes, and a way to stop reading. */
export interface ResponseBody extends AsyncIterable<Uint8Array> {
  destroy(error?: Error): unknown;
}

/**
 * Reads a whole body, but never more than `maxBytes`: a declared `Content-Length` over the bound is
 * refused before a byte is read, and a body that grows past it is cut off at once, so a hostile or
 * broken server costs at most `maxBytes` of memory.
 */
export async function readBounded(body: ResponseBody, maxBytes: number, what: string, contentLength?: string | string[] | undefined): Promise<Buffer> {
  const declared = Number(Array.isArray(contentLength) ? contentLength[0] : contentLength);
  if (Number.isFinite(declared) && declared > maxBytes) {
    body.destroy();
    throw tooLarge(what, maxBytes, `declares ${declared} bytes`);
  }
  const chunks: Uint8Array[] = [];
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

function tooLarge(what: string, maxBytes: number, how: string): CodesyncError {
  return new CodesyncError('RESPONSE_TOO_LARGE', `the answer to ${what} ${how}, over its bound of ${maxBytes} bytes; refused`, { details: { maxBytes } });
}
