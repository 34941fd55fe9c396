import { Readable } from 'node:stream';
import { END_OF_TAR } from '../../protocol/blob-tar-header.js';
import type { ApiClient } from '../../protocol/client/api-client.js';
import type { TarPiece } from './hash-pool.js';
import type { TarPipe } from './hash-tree.js';

export interface PipelineOptions {
  /** Tar requests (`POST /v1/blobs`) in flight at once: the server reads one while it syncs another's blobs. */
  streams: number;
  /** A request's tar ends once it holds this many bytes of content... */
  requestBytes: number;
  /** ... or this many blobs: what the server commits (links and makes durable) at once. */
  requestBlobs: number;
  /** Tar bytes hashed and not yet sent, at most: the hashing waits for room above it. */
  roomBytes: number;
  /** Once there is no upload (the server holds some of the tree), plain bytes kept at most, as hash-tree's KEEP. */
  keepBytes: number;
  signal: AbortSignal;
  /** Called as content bytes leave for the server. */
  onBytes?: (bytes: number) => void;
}

export const PIPELINE_DEFAULTS = { streams: 4, requestBytes: 8 * 1024 * 1024, requestBlobs: 1024, roomBytes: 64 * 1024 * 1024, keepBytes: 64 * 1024 * 1024 } as const;

/** A tar piece waiting for a request to take it. */
interface Queued {
  piece: TarPiece;
  blobs: number;
  bytes: number;
}

/**
 * A cold publish's upload, run while the tree is hashed (docs/design.md, publish steps 1–3):
 * each hashed batch's small files come back from the hash workers as a piece of a blob tar
 * (hash-worker.ts), and a few `POST /v1/blobs` requests take those pieces as they come, each
 * ending its tar at `requestBytes` or `requestBlobs` for the next to begin. The upload overlaps
 * the hashing, and the server's writes and syncs overlap both; the hashing waits once
 * `roomBytes` of pieces wait to be sent.
 *
 * It starts only once `lacks` says the server holds none of the tree (until then pieces wait);
 * otherwise (`off`) no piece goes, the hashing keeps plain bytes as it would have, and the
 * publish asks the server what it lacks first.
 */
export class UploadPipeline implements TarPipe {
  private mode: 'waiting' | 'on' | 'off' = 'waiting';
  private readonly queue: Queued[] = [];
  private queueHead = 0;
  private takers: ((item: Queued | undefined) => void)[] = [];
  private roomWaiters: (() => void)[] = [];
  /** Tar bytes given to the hashing and not yet sent or dropped. */
  private held = 0;
  private keepLeft: number;
  private closed = false;
  private failure: { err: unknown } | undefined;
  private readonly senders: Promise<void>[] = [];
  private sent = { blobs: 0, bytes: 0 };
  /** Memory of pieces sent, for the hashing to lay new ones in (smallest first), and its bytes. */
  private spares: ArrayBuffer[] = [];
  private spareBytes = 0;
  /** Whether the upload runs: settles once the server was asked. */
  readonly started: Promise<boolean>;

  constructor(
    private readonly client: ApiClient,
    lacks: Promise<boolean>,
    private readonly options: PipelineOptions,
  ) {
    this.keepLeft = options.keepBytes;
    this.started = lacks.then(
      (yes) => (yes ? this.start() : this.stop()),
      () => this.stop(),
    );
  }

  async keepAs(tarBytes: number): Promise<'tar' | 'bytes' | undefined> {
    while (this.mode !== 'off' && this.held > 0 && this.held + tarBytes > this.options.roomBytes) await new Promise<void>((wake) => this.roomWaiters.push(wake));
    if (this.mode === 'off') {
      if (this.keepLeft <= 0) return undefined;
      this.keepLeft -= tarBytes;
      return 'bytes';
    }
    this.held += tarBytes;
    return 'tar';
  }

  take(piece: TarPiece, blobs: number, bytes: number): void {
    if (this.mode === 'off' || blobs === 0) {
      this.recycle(piece);
      return this.release(piece.reserved);
    }
    const item = { piece, blobs, bytes };
    const taker = this.takers.shift();
    if (taker) taker(item);
    else this.queue.push(item);
  }

  /** The smallest spare of at least `tarBytes`, taken out of the pool. */
  spare(tarBytes: number): ArrayBuffer | undefined {
    const at = this.spares.findIndex((memory) => memory.byteLength >= tarBytes);
    if (at < 0) return undefined;
    const [memory] = this.spares.splice(at, 1);
    this.spareBytes -= memory!.byteLength;
    return memory;
  }

  /**
   * Keeps a piece's memory for the next ones once nothing reads it any more (its request was
   * answered: the server read every byte of it), up to `roomBytes` of it.
   */
  private recycle(piece: TarPiece): void {
    const memory = piece.memory;
    if (!memory || memory.byteLength === 0 || this.spareBytes + memory.byteLength > this.options.roomBytes) return;
    let at = 0;
    while (at < this.spares.length && this.spares[at]!.byteLength < memory.byteLength) at++;
    this.spares.splice(at, 0, memory);
    this.spareBytes += memory.byteLength;
  }

  /**
   * No more pieces: the requests end once they sent what is queued. Resolves with what went up,
   * or undefined when the upload never started (the server holds some of the tree); throws what
   * failed a request.
   */
  async finish(): Promise<{ blobs: number; bytes: number } | undefined> {
    this.closed = true;
    this.wakeTakers();
    if (!(await this.started)) return undefined;
    await Promise.all(this.senders);
    if (this.failure) throw this.failure.err;
    return this.sent;
  }

  /** Ends the upload (the hashing failed): queued pieces are dropped, requests cut short. */
  cancel(err: unknown): void {
    this.failure ??= { err };
    this.stop();
  }

  private start(): boolean {
    if (this.mode === 'off') return false;
    this.mode = 'on';
    for (let k = 0; k < this.options.streams; k++) {
      const sender = this.send();
      // Awaited by finish; a failure meanwhile must not go unhandled.
      sender.catch(() => undefined);
      this.senders.push(sender);
    }
    return true;
  }

  private stop(): boolean {
    this.mode = 'off';
    for (let at = this.queueHead; at < this.queue.length; at++) this.release(this.queue[at]!.piece.reserved);
    this.queue.length = 0;
    this.queueHead = 0;
    this.wakeTakers();
    this.wakeRoom();
    return false;
  }

  /** One request after another while pieces come, each a tar of up to requestBytes / requestBlobs. */
  private async send(): Promise<void> {
    for (let first = await this.next(); first; first = await this.next()) {
      const carried: TarPiece[] = [];
      try {
        await this.client.postBlobs(Readable.from(this.tar(first, carried)), this.options.signal);
      } catch (err) {
        this.cancel(err);
        throw err;
      }
      for (const piece of carried) this.recycle(piece);
    }
  }

  /** A request's body; the pieces it sends go into `carried`. */
  private async *tar(first: Queued, carried: TarPiece[]): AsyncGenerator<Buffer> {
    let blobs = 0;
    let bytes = 0;
    for (let item: Queued | undefined = first; item; item = blobs < this.options.requestBlobs && bytes < this.options.requestBytes ? await this.next() : undefined) {
      carried.push(item.piece);
      yield item.piece.tar;
      // Handed to the request: room for the hashing to go on (the socket holds at most a few of them).
      this.release(item.piece.reserved);
      blobs += item.blobs;
      bytes += item.bytes;
      this.sent.blobs += item.blobs;
      this.sent.bytes += item.bytes;
      this.options.onBytes?.(item.bytes);
    }
    if (this.mode === 'off') throw this.failure?.err ?? new Error('the upload was stopped');
    yield END_OF_TAR;
  }

  /** The next piece to send; undefined once there are none to come (or the upload stopped). */
  private next(): Promise<Queued | undefined> {
    if (this.mode === 'off') return Promise.resolve(undefined);
    if (this.queueHead < this.queue.length) {
      const item = this.queue[this.queueHead++]!;
      if (this.queueHead === this.queue.length) {
        this.queue.length = 0;
        this.queueHead = 0;
      }
      return Promise.resolve(item);
    }
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.takers.push(resolve));
  }

  private release(bytes: number): void {
    this.held -= bytes;
    this.wakeRoom();
  }

  private wakeRoom(): void {
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake();
  }

  private wakeTakers(): void {
    const takers = this.takers;
    this.takers = [];
    for (const taker of takers) taker(undefined);
  }
}
