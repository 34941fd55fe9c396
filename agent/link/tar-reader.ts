import { CodesyncError } from '../../protocol/errors.js';

/** One entry's header, as far as a tar of blobs needs it. */
export interface TarEntryHeader {
  name: string;
  size: number;
  /** True for a regular file (typeflag '0' or NUL); anything else is skipped by its reader. */
  file: boolean;
}

const BLOCK = 512;

/**
 * Reads the ustar entries of a byte stream (a pack or a fetch of blobs) without a stream per
 * entry: headers are parsed in place and a small entry's bytes are a view of the chunk they
 * arrived in, so a tar of many KiB-sized blobs costs per entry a header parse, not a stream's
 * machinery. Only what the server writes is read (ustar, names up to 100 bytes plus prefix,
 * sizes in octal or base-256); extension headers (pax, GNU long names) are entries like any other
 * and never name a wanted blob.
 */
export class TarReader {
  private readonly source: AsyncIterator<Buffer>;
  private chunks: Buffer[] = [];
  /** Bytes held in `chunks`. */
  private held = 0;
  /** Data bytes of the current entry not yet taken, then its padding. */
  private left = 0;
  private pad = 0;
  private ended = false;

  constructor(source: AsyncIterable<Buffer>) {
    this.source = source[Symbol.asyncIterator]();
  }

  /**
   * The next entry's header when reading it needs no wait: the rest of the previous entry is
   * held, and so is this header, within one chunk (as it mostly is: a socket chunk holds many
   * small entries). `null` otherwise, and at the end of the archive: then `next()`. A cold sync
   * of 100 000 entries so makes no promise per entry to find the next one.
   */
  nextHeld(): TarEntryHeader | null {
    const skip = this.left + this.pad;
    if (this.held < skip + BLOCK) return null;
    if (skip > 0) {
      this.drop(skip);
      this.left = 0;
      this.pad = 0;
    }
    const first = this.chunks[0]!;
    if (first.length < BLOCK || isZeroBlock(first)) return null;
    const header = decodeHeader(first);
    this.drop(BLOCK);
    this.left = header.size;
    this.pad = (BLOCK - (header.size % BLOCK)) % BLOCK;
    return header;
  }

  /** The whole of the current entry's bytes when they are all held (`bodyPieces` without the wait), else undefined. */
  bodyHeld(): Buffer[] | undefined {
    return this.held < this.left ? undefined : this.takePieces();
  }

  /**
   * The next entry's header (the previous entry's bytes not taken are skipped), or undefined at
   * the end of the archive, once the stream ended.
   */
  async next(): Promise<TarEntryHeader | undefined> {
    await this.skip(this.left + this.pad);
    this.left = 0;
    this.pad = 0;
    if (!(await this.fill(BLOCK))) {
      if (this.held === 0) throw truncated('before its end-of-archive blocks');
      throw truncated('inside a header');
    }
    const block = this.take(BLOCK);
    if (isZeroBlock(block)) {
      // The end of the archive: what follows (the second zero block) is read and dropped, so
      // the stream ends and the response is whole.
      this.chunks = [];
      this.held = 0;
      while (await this.pull()) this.chunks = [];
      this.held = 0;
      return undefined;
    }
    const header = decodeHeader(block);
    this.left = header.size;
    this.pad = (BLOCK - (header.size % BLOCK)) % BLOCK;
    return header;
  }

  /** The whole of the current entry's bytes (a small one: they are held in memory), in one buffer. */
  async body(): Promise<Buffer> {
    const pieces = await this.bodyPieces();
    return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
  }

  /**
   * The whole of the current entry's bytes as views of the chunks they arrived in, in order (one
   * when a chunk holds them all). Not joined here: a body spanning chunks was copied into a fresh
   * buffer of its own, then again by the kernel from it; the write worker copies the pieces once
   * into a buffer it reuses (object-write-worker.ts), whose pages stay mapped.
   */
  async bodyPieces(): Promise<Buffer[]> {
    if (!(await this.fill(this.left))) throw truncated('inside an entry');
    return this.takePieces();
  }

  /** Takes the current entry's bytes (all held) as views, copying nothing. */
  private takePieces(): Buffer[] {
    let rest = this.left;
    this.left = 0;
    this.held -= rest;
    const pieces: Buffer[] = [];
    let used = 0;
    while (rest > 0) {
      const chunk = this.chunks[used]!;
      if (chunk.length > rest) {
        pieces.push(chunk.subarray(0, rest));
        this.chunks[used] = chunk.subarray(rest);
        break;
      }
      pieces.push(chunk);
      rest -= chunk.length;
      used++;
    }
    // One splice for all the chunks used up: a shift each is quadratic in small chunks.
    if (used > 0) this.chunks.splice(0, used);
    return pieces;
  }

  /** The current entry's bytes, chunk by chunk as they arrive (a large one). */
  async *stream(): AsyncGenerator<Buffer> {
    while (this.left > 0) {
      if (this.held === 0 && !(await this.pull())) throw truncated('inside an entry');
      const chunk = this.take(Math.min(this.left, this.chunks[0]!.length));
      this.left -= chunk.length;
      yield chunk;
    }
  }

  /** Ends reading early: the source's iterator is closed (its stream destroyed). */
  async close(): Promise<void> {
    await this.source.return?.();
  }

  private async skip(bytes: number): Promise<void> {
    if (bytes <= this.held) return this.drop(bytes);
    let rest = bytes;
    while (rest > 0) {
      if (this.held === 0 && !(await this.pull())) throw truncated('inside an entry');
      rest -= this.take(Math.min(rest, this.chunks[0]!.length)).length;
    }
  }

  /** Waits until `bytes` are held; false when the stream ended first. */
  private async fill(bytes: number): Promise<boolean> {
    while (this.held < bytes) if (!(await this.pull())) return false;
    return true;
  }

  private async pull(): Promise<boolean> {
    if (this.ended) return false;
    const { done, value } = await this.source.next();
    if (done) {
      this.ended = true;
      return false;
    }
    if (value.length > 0) {
      this.chunks.push(value);
      this.held += value.length;
    }
    return true;
  }

  /** Drops `bytes` (held) off the front, copying nothing. */
  private drop(bytes: number): void {
    this.held -= bytes;
    let rest = bytes;
    let used = 0;
    while (rest > 0) {
      const chunk = this.chunks[used]!;
      if (chunk.length > rest) {
        this.chunks[used] = chunk.subarray(rest);
        break;
      }
      rest -= chunk.length;
      used++;
    }
    if (used > 0) this.chunks.splice(0, used);
  }

  /** Takes `bytes` (held) off the front: a view when one chunk holds them, else one copy. */
  private take(bytes: number): Buffer {
    this.held -= bytes;
    const first = this.chunks[0]!;
    if (bytes === 0) return Buffer.alloc(0);
    if (first.length >= bytes) {
      if (first.length === bytes) this.chunks.shift();
      else this.chunks[0] = first.subarray(bytes);
      return first.subarray(0, bytes);
    }
    const out = Buffer.allocUnsafe(bytes);
    let at = 0;
    let used = 0;
    while (at < bytes) {
      const chunk = this.chunks[used]!;
      const part = Math.min(chunk.length, bytes - at);
      chunk.copy(out, at, 0, part);
      at += part;
      if (part === chunk.length) used++;
      else this.chunks[used] = chunk.subarray(part);
    }
    // One splice for all the chunks used up: a shift each is quadratic in small chunks.
    this.chunks.splice(0, used);
    return out;
  }
}

function truncated(where: string): CodesyncError {
  return new CodesyncError('SERVER_ERROR', `the server's tar ended ${where}`);
}

/** Name, size and type of a ustar header block (the first 512 bytes of `block`), its checksum checked. */
function decodeHeader(block: Buffer): TarEntryHeader {
  let sum = 8 * 0x20;
  for (let i = 0; i < 148; i++) sum += block[i]!;
  for (let i = 156; i < BLOCK; i++) sum += block[i]!;
  if (sum !== octal(block, 148, 8)) throw new CodesyncError('SERVER_ERROR', "the server's tar holds a header with a bad checksum");
  const name = text(block, 0, 100);
  // ustar keeps the leading part of a long name in its prefix field.
  const prefix = isUstar(block) ? text(block, 345, 155) : '';
  const flag = block[156];
  return { name: prefix ? `${prefix}/${name}` : name, size: size(block), file: flag === 0x30 || flag === 0 };
}

/** True when the 512 bytes at the front of `block` are all zero: the end of an archive. */
function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

/** The magic 'ustar' at offset 257. */
function isUstar(block: Buffer): boolean {
  return block[257] === 0x75 && block[258] === 0x73 && block[259] === 0x74 && block[260] === 0x61 && block[261] === 0x72;
}

/** A NUL-terminated field (or the whole field when it has no NUL). */
function text(block: Buffer, offset: number, length: number): string {
  let end = offset;
  while (end < offset + length && block[end] !== 0) end++;
  return block.toString('utf8', offset, end);
}

/** An octal field (digits up to a space or NUL). */
function octal(block: Buffer, offset: number, length: number): number {
  let value = 0;
  let at = offset;
  while (at < offset + length && block[at] === 0x20) at++;
  for (; at < offset + length; at++) {
    const byte = block[at]!;
    if (byte === 0x20 || byte === 0) break;
    if (byte < 0x30 || byte > 0x37) throw new CodesyncError('SERVER_ERROR', "the server's tar holds a header with a malformed number");
    value = value * 8 + (byte - 0x30);
  }
  return value;
}

/** The size field: octal, or base-256 when its first byte has the high bit set (past 8 GiB). */
function size(block: Buffer): number {
  if ((block[124]! & 0x80) === 0) return octal(block, 124, 12);
  let value = 0;
  for (let i = 125; i < 136; i++) value = value * 256 + block[i]!;
  return value;
}
