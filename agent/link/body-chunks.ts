import { finished } from 'node:stream';

/**
 * A response body read ahead into a queue of the chunks as they arrived, handed out one by one.
 *
 * Why not a PassThrough with a large buffer: its async iterator reads with `read()`, which joins
 * everything buffered into one new buffer, so every byte of a cold sync was copied once more
 * (and into fresh memory: page faults) before the tar reader saw it. Here a chunk is only ever
 * queued and handed on. The body is paused once `limit` bytes wait (the HTTP client, resumed,
 * copies all it holds into its parser memory again, so pausing per small entry made many tiny
 * files quadratic) and resumed once half of that is read.
 */
export class BodyChunks implements AsyncIterable<Buffer> {
  private readonly chunks: Buffer[] = [];
  /** Index of the next chunk to hand out: shifting each one off is quadratic in small chunks. */
  private head = 0;
  private held = 0;
  private paused = false;
  private done = false;
  private failure: { err: unknown } | undefined;
  private wake: (() => void) | undefined;
  /** Settles once the body ended whole (resolves) or failed or was cut short (rejects). */
  readonly ended: Promise<void>;

  constructor(
    private readonly body: NodeJS.ReadableStream & { destroy(err?: Error): void },
    private readonly limit: number,
    signal: AbortSignal,
  ) {
    const abort = (): void => body.destroy(signal.reason as Error);
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
    this.ended = new Promise((resolve, reject) => {
      finished(body, (err) => {
        signal.removeEventListener('abort', abort);
        if (err) {
          this.failure = { err: signal.aborted ? (signal.reason ?? err) : err };
          reject(this.failure.err);
        } else resolve();
        this.done = true;
        this.notify();
      });
    });
    // Awaited by whoever iterates (a failure also ends the iteration), or by `ended`'s caller.
    this.ended.catch(() => {});
    body.on('data', (chunk: Buffer) => {
      if (chunk.length === 0) return;
      this.chunks.push(chunk);
      this.held += chunk.length;
      if (!this.paused && this.held >= this.limit) {
        this.paused = true;
        body.pause();
      }
      this.notify();
    });
  }

  /** Stops reading: the body is destroyed (its socket closed) and the queue dropped. */
  destroy(): void {
    this.chunks.length = 0;
    this.head = 0;
    this.held = 0;
    this.body.destroy();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for (;;) {
      if (this.failure) throw this.failure.err;
      if (this.head < this.chunks.length) {
        const chunk = this.chunks[this.head]!;
        this.chunks[this.head++] = EMPTY;
        if (this.head >= 1024 || this.head === this.chunks.length) {
          this.chunks.splice(0, this.head);
          this.head = 0;
        }
        this.held -= chunk.length;
        if (this.paused && this.held <= this.limit / 2) {
          this.paused = false;
          this.body.resume();
        }
        yield chunk;
        continue;
      }
      if (this.done) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

const EMPTY = Buffer.alloc(0);
