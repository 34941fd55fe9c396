import { createReadStream, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { CodesyncError } from '../../protocol/errors.js';
import type { LocalBlob } from './hash-tree.js';

const BLOCK = 512;
/** Entries are gathered into chunks of about this size before the request takes them. */
const CHUNK_BYTES = 1024 * 1024;
/** Files up to this size are read whole (the rest are streamed). */
const READ_WHOLE_BYTES = 1024 * 1024;
/**
 * Files up to this size are read with one synchronous call: they were just hashed, so they come
 * from the page cache in microseconds, where an async read is four trips to the thread pool.
 */
const READ_SYNC_BYTES = 256 * 1024;
/** The largest size an 11-digit octal field holds. */
const MAX_SIZE = 8 ** 11 - 1;

/**
 * The ustar header every entry shares (tar-stream's layout: regular file, mode 0644, uid, gid
 * and mtime 0); an entry fills in its name (a sha256, 64 bytes) and size, and the checksum.
 */
const TEMPLATE = Buffer.alloc(BLOCK);
TEMPLATE.write('000644 ', 100, 'latin1');
TEMPLATE.write('000000 ', 108, 'latin1');
TEMPLATE.write('000000 ', 116, 'latin1');
TEMPLATE.write('00000000000 ', 136, 'latin1');
TEMPLATE[156] = 0x30;
TEMPLATE.write('ustar\u000000', 257, 'latin1');
TEMPLATE.write('000000 ', 329, 'latin1');
TEMPLATE.write('000000 ', 337, 'latin1');
/** The template's checksum, the checksum field itself counted as eight spaces. */
const TEMPLATE_SUM = TEMPLATE.reduce((sum, byte, i) => sum + (i >= 148 && i < 156 ? 0x20 : byte), 0);

/**
 * A tar stream of the blobs, entries named by sha256, built as the request drains it: headers,
 * bytes and padding written straight into ~1 MiB chunks (tar-stream's streams, callbacks and a
 * write or two per entry were most of the CLI's CPU for 100 000 tiny files). A blob's bytes come
 * from its hashing when it kept them, else from its file; a file whose size moved since its
 * listing fails the upload with TREE_CHANGED.
 */
export function blobTar(blobs: readonly [string, LocalBlob][], count: (bytes: number) => void, signal: AbortSignal): Readable {
  return Readable.from(tarChunks(blobs, count, signal), { objectMode: false });
}

async function* tarChunks(blobs: readonly [string, LocalBlob][], count: (bytes: number) => void, signal: AbortSignal): AsyncGenerator<Buffer> {
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let at = 0;
  for (const [sha256, blob] of blobs) {
    signal.throwIfAborted();
    if (blob.size > MAX_SIZE) throw new CodesyncError('INTERNAL', `${JSON.stringify(blob.absolute)} is too big for a tar batch`);
    const padding = (BLOCK - (blob.size % BLOCK)) % BLOCK;
    if (blob.size > READ_WHOLE_BYTES) {
      if (at > 0) yield chunk.subarray(0, at);
      const header = Buffer.allocUnsafe(BLOCK);
      writeHeader(header, 0, sha256, blob.size);
      yield header;
      let read = 0;
      for await (const part of createReadStream(blob.absolute, { highWaterMark: CHUNK_BYTES, signal }) as AsyncIterable<Buffer>) {
        read += part.length;
        if (read > blob.size) break;
        count(part.length);
        yield part;
      }
      if (read !== blob.size) throw changedWhileUploading(blob);
      if (padding > 0) yield Buffer.alloc(padding);
      chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      at = 0;
      continue;
    }
    const data = blob.bytes ?? (blob.size <= READ_SYNC_BYTES ? readFileSync(blob.absolute) : await readFile(blob.absolute, { signal }));
    if (data.length !== blob.size) throw changedWhileUploading(blob);
    const entryBytes = BLOCK + blob.size + padding;
    if (at + entryBytes > chunk.length) {
      if (at > 0) yield chunk.subarray(0, at);
      chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, entryBytes));
      at = 0;
    }
    writeHeader(chunk, at, sha256, blob.size);
    data.copy(chunk, at + BLOCK);
    chunk.fill(0, at + BLOCK + blob.size, at + entryBytes);
    at += entryBytes;
    count(blob.size);
  }
  // The end of the archive: two zero blocks.
  if (at + 2 * BLOCK > chunk.length) {
    yield chunk.subarray(0, at);
    chunk = Buffer.allocUnsafe(2 * BLOCK);
    at = 0;
  }
  chunk.fill(0, at, at + 2 * BLOCK);
  yield chunk.subarray(0, at + 2 * BLOCK);
}

/** The entry's header at `at`: the template with its name, size and checksum. */
function writeHeader(target: Buffer, at: number, sha256: string, size: number): void {
  TEMPLATE.copy(target, at);
  let sum = TEMPLATE_SUM;
  for (let i = 0; i < sha256.length; i++) {
    const unit = sha256.charCodeAt(i);
    target[at + i] = unit;
    sum += unit;
  }
  sum += octal(target, at + 124, size, 11);
  octal(target, at + 148, sum, 6);
}

/** Writes `value` as `digits` octal digits and a space at `at`; returns the bytes' sum. */
function octal(target: Buffer, at: number, value: number, digits: number): number {
  let sum = 0x20;
  target[at + digits] = 0x20;
  for (let i = digits - 1; i >= 0; i--) {
    const digit = 0x30 + (value % 8);
    target[at + i] = digit;
    sum += digit;
    value = Math.floor(value / 8);
  }
  return sum;
}

function changedWhileUploading(blob: LocalBlob): CodesyncError {
  return new CodesyncError('TREE_CHANGED', `${JSON.stringify(blob.absolute)} changed between hashing and upload; publish again once writes settle`);
}
