import type { FastifyReply, FastifyRequest } from 'fastify';
import { Transform, pipeline, type Readable } from 'node:stream';
import type { ServerContext } from '../context.js';

/**
 * Sends blob bytes through the blob gate (docs/throttling.md): admits the request before any byte, lets
 * the gate wrap the body, counts the bytes and tells the gate once when the response is over.
 */
export async function sendGated(context: ServerContext, request: FastifyRequest, reply: FastifyReply, open: () => Readable): Promise<FastifyReply> {
  const transfer = await context.gate().admit(request);
  let finished = false;
  const done = () => {
    if (finished) return;
    finished = true;
    transfer.done();
  };
  reply.raw.once('close', done);
  try {
    const counter = context.metrics.blobBytesSent;
    // pipeline, not pipe: a failing blob read must end the response instead of stalling it.
    const counted = pipeline(
      open(),
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          counter.inc(chunk.length);
          callback(null, chunk);
        },
      }),
      () => {},
    );
    return reply.send(transfer.wrap(counted));
  } catch (err) {
    done();
    throw err;
  }
}
