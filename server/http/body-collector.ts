import type { FastifyRequest } from 'fastify';
import fastify from 'fastify';
import type { Readable } from 'node:stream';

const { FST_ERR_CTP_BODY_TOO_LARGE, FST_ERR_CTP_INVALID_CONTENT_LENGTH } = fastify.errorCodes;

/**
 * A request body handed to `take` chunk by chunk as it arrives, under the route's body limit,
 * with the errors Fastify's own `parseAs: 'buffer'` gives (413 over the limit, 400 for a length
 * unlike the one declared or a body that fails); resolves once the whole body has come. Nothing is
 * kept here: Fastify keeps every chunk and then joins them, holding the body twice (13.5 MB each
 * for the manifest of a 100 000-file publish), where the reader of a chunk may let it go at once.
 */
export function streamBody(request: FastifyRequest, payload: Readable, limit: number, take: (chunk: Buffer) => void): Promise<void> {
  const declared = Number(request.headers['content-length']);
  if (declared > limit) return Promise.reject(new FST_ERR_CTP_BODY_TOO_LARGE());
  return new Promise((resolve, reject) => {
    let received = 0;
    const detach = () => {
      payload.off('data', onData);
      payload.off('end', onEnd);
      payload.off('error', onEnd);
    };
    const fail = (err: Error) => {
      detach();
      reject(err);
    };
    function onData(chunk: Buffer | string): void {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      received += bytes.length;
      if (received > limit) return fail(new FST_ERR_CTP_BODY_TOO_LARGE());
      if (received > declared) return fail(new FST_ERR_CTP_INVALID_CONTENT_LENGTH());
      take(bytes);
    }
    function onEnd(err?: Error & { statusCode?: number }): void {
      if (err) {
        if (!(typeof err.statusCode === 'number' && err.statusCode >= 400)) err.statusCode = 400;
        return fail(err);
      }
      detach();
      if (!Number.isNaN(declared) && received !== declared) return reject(new FST_ERR_CTP_INVALID_CONTENT_LENGTH());
      resolve();
    }
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onEnd);
    payload.resume();
  });
}
