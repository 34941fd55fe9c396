import type { FastifyReply, FastifyRequest } from 'fastify';
import { Transform, pipeline, type Readable } from 'node:stream';
import type { BlobTransfer } from '../blob-gate.js';
import type { ServerContext } from '../context.js';

/** A request the blob gate admitted, and the one call that tells the gate it is over. */
export interface GatedTransfer {
  transfer: BlobTransfer;
  /** Idempotent; also called when the response closes. */
  done: () => void;
}

/**
 * Admits `request` through the blob gate (docs/throttling.md) before any byte is sent, and tells
 * the gate once when the response is over, however it ends. The caller calls `done` itself when
 * it fails before the response is under way.
 */
export async function admitGated(context: ServerContext, request: FastifyRequest, reply: FastifyReply): Promise<GatedTransfer> {
  const transfer = await context.gate().admit(request);
  let finished = false;
  const done = () => {
    if (finished) return;
    finished = true;
    transfer.done();
  };
  reply.raw.once('close', done);
  return { transfer, done };
}

/**
 * Sends blob bytes through the blob gate: lets the gate wrap the body, counts the bytes and tells
 * the gate once when the response is over (`admitGated`).
 */
export async function sendGated(context: ServerContext, request: FastifyRequest, reply: FastifyReply, open: () => Readable): Promise<FastifyReply> {
  const { transfer, done } = await admitGated(context, request, reply);
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

/**
 * `sendGated` for a small blob read whole into memory (`read`, called once admitted): one buffer
 * handed to the response, without the file stream, counter and pipeline a streamed body needs,
 * which cost a one-file sync more server CPU than its bytes.
 */
export async function sendGatedBytes(context: ServerContext, request: FastifyRequest, reply: FastifyReply, read: () => Promise<Buffer>): Promise<FastifyReply> {
  const { transfer, done } = await admitGated(context, request, reply);
  try {
    const bytes = await read();
    context.metrics.blobBytesSent.inc(bytes.length);
    return reply.send(transfer.wrapBytes(bytes));
  } catch (err) {
    done();
    throw err;
  }
}
