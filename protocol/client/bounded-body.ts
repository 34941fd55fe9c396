import type { Readable } from 'node:stream';
import { CodesyncError } from '../errors.js';

/** A response body as the transport gives it: a readable stream of bytes. */
export type ResponseBody = Readable;

/**
 * Reads a whole body, but never more than `maxBytes`: a declared `Content-Length` over the bound is
 * refused before a byte is read, and a body that grows past it is cut off at once, so a hostile or
 * broken server costs at most `maxBytes` of memory. Read with the stream's events, not an async
 * iterator: the iterator's promises and end-of-stream tracking were a tenth of a small answer's
 * CPU on an agent, which reads five answers a sync.
 */
export function readBounded(body: ResponseBody, maxBytes: number, what: string, contentLength?: string | string[] | undefined): Promise<Buffer> {
  const declared = Number(Array.isArray(contentLength) ? contentLength[0] : contentLength);
  if (Number.isFinite(declared) && declared > maxBytes) {
    body.destroy();
    return Promise.reject(tooLarge(what, maxBytes, `declares ${declared} bytes`));
  }
  if (body.destroyed) return Promise.reject(body.errored ?? prematureClose());
  // A declared length is read into one buffer as it arrives: each chunk is garbage at once, where
  // holding them all for a concat at the end held the body twice (a 100 000-file manifest is 15 MB).
  const into = Number.isSafeInteger(declared) && declared > 0 ? Buffer.allocUnsafeSlow(declared) : undefined;
  const chunks: Buffer[] = [];
  let total = 0;
  return new Promise<Buffer>((resolve, reject) => {
    const settle = (err: Error | undefined): void => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', settle);
      body.off('close', onClose);
      if (err) reject(err);
      // Shorter than declared: the transport fails such a body; what arrived is all there is.
      else resolve(into ? (total === into.length ? into : into.subarray(0, total)) : Buffer.concat(chunks, total));
    };
    const onData = (chunk: Buffer): void => {
      const bound = into ? into.length : maxBytes;
      if (total + chunk.length > bound) {
        // Destroyed with the refusal, which the 'error' listener then settles with: a stream that
        // already holds its end would still emit it after a destroy without an error.
        body.off('data', onData);
        body.destroy(into ? tooLarge(what, bound, `runs past its declared ${bound} bytes`) : tooLarge(what, maxBytes, `runs past ${maxBytes} bytes`));
        return;
      }
      if (into) into.set(chunk, total);
      else chunks.push(chunk);
      total += chunk.length;
    };
    const onEnd = (): void => settle(undefined);
    // Closed before its end and without an error of its own: what an async iterator would throw.
    const onClose = (): void => settle(prematureClose());
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', settle);
    body.once('close', onClose);
  });
}

function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

function tooLarge(what: string, maxBytes: number, how: string): CodesyncError {
  return new CodesyncError('RESPONSE_TOO_LARGE', `the answer to ${what} ${how}, over its bound of ${maxBytes} bytes; refused`, { details: { maxBytes } });
}
