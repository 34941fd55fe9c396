import { close, open, read } from 'node:fs';
import { promisify } from 'node:util';
import { Readable } from 'node:stream';
import type { BlobStore } from '../store/blob-store.js';
import { blobEntryHeader, END_OF_TAR, padding } from './tar-header.js';

// Callback fs calls, promisified: one thread-pool trip each, without fs/promises' FileHandle and
// readFile machinery (which cost more CPU than the bytes for a pack of small blobs).
const openFd = promisify(open);
const readFd = promisify(read);
const closeFd = promisify(close);

/** Blobs up to this size are read whole rather than streamed. */
const WHOLE_READ_BYTES = 256 * 1024;

/**
 * Small entries are gathered into chunks of about this size: every chunk costs a trip through
 * the response's streams (byte count, bandwidth gate, socket write), and a code tree is mostly
 * entries of a few KiB — three chunks each (header, bytes, padding) as tar-stream sends them.
 */
const CHUNK_BYTES = 64 * 1024;

/**
 * Bytes of small blobs read ahead of the one being sent. A blob read is a few thread-pool trips
 * (open, read, close); one at a time, a pack of small files waits on each in turn and the socket
 * idles. With reads overlapping, it waits on none of them; bounded by bytes, so a pack holds at
 * most this much memory whatever its blob count.
 */
const READ_AHEAD_BYTES = 4 * 1024 * 1024;
/** Reads in flight at most: about the server's thread pool (UV_THREADPOOL_SIZE, docs/operations.md). */
const READ_AHEAD_FILES = 64;

type Listed = { sha256: string; size: number };

/**
 * A tar of blobs, entries named by sha256 in the given order, with fixed headers (mtime 0,
 * uid/gid 0, mode 0644, no user or group names: tar-header.ts). Small blobs are read ahead
 * (bounded by bytes) and sent in chunks of several entries; large ones stream. A read error
 * aborts the tar.
 */
export function blobTar(blobs: BlobStore, list: readonly Listed[]): Readable {
  return Readable.from(tarChunks(blobs, list), { objectMode: false });
}

async function* tarChunks(blobs: BlobStore, list: readonly Listed[]): AsyncGenerator<Buffer> {
  const ahead = new ReadAhead(blobs, list);
  let gathered: Buffer[] = [];
  let gatheredBytes = 0;
  const gather = (buffer: Buffer) => {
    gathered.push(buffer);
    gatheredBytes += buffer.length;
  };
  const take = () => {
    const chunk = Buffer.concat(gathered, gatheredBytes);
    gathered = [];
    gatheredBytes = 0;
    return chunk;
  };
  for (const [index, { sha256, size }] of list.entries()) {
    gather(blobEntryHeader(sha256, size));
    // Most blobs of a code tree are small: one read of the whole file costs a few syscalls,
    // where a read stream per blob costs several more and a stream's machinery.
    if (size <= WHOLE_READ_BYTES) {
      gather(await ahead.take(index));
      gather(padding(size));
      if (gatheredBytes >= CHUNK_BYTES) yield take();
      continue;
    }
    yield take();
    let sent = 0;
    for await (const chunk of blobs.open(sha256) as AsyncIterable<Buffer>) {
      sent += chunk.length;
      // A longer or shorter blob than listed (a damaged store) would shift every header after it.
      if (sent > size) throw new Error(`blob ${sha256} holds more bytes than its manifest says (${size})`);
      yield chunk;
    }
    if (sent !== size) throw new Error(`blob ${sha256} holds ${sent} bytes, its manifest says ${size}`);
    gather(padding(size));
  }
  gather(END_OF_TAR);
  yield take();
}

/**
 * Reads the small blobs of `list` ahead of the sender, at most READ_AHEAD_BYTES and
 * READ_AHEAD_FILES in flight; large blobs are left to the sender's stream.
 */
class ReadAhead {
  private readonly reads = new Map<number, Promise<Buffer>>();
  private next = 0;
  private bytes = 0;

  constructor(
    private readonly blobs: BlobStore,
    private readonly list: readonly Listed[],
  ) {}

  /** The bytes of `list[index]` (a small blob), reading further ahead as they are taken. */
  async take(index: number): Promise<Buffer> {
    this.fill(index);
    const read = this.reads.get(index)!;
    this.reads.delete(index);
    this.bytes -= this.list[index]!.size;
    this.fill(index + 1);
    return read;
  }

  private fill(from: number): void {
    this.next = Math.max(this.next, from);
    while (this.next < this.list.length && this.reads.size < READ_AHEAD_FILES && (this.reads.size === 0 || this.bytes + this.list[this.next]!.size <= READ_AHEAD_BYTES)) {
      const { sha256, size } = this.list[this.next]!;
      if (size <= WHOLE_READ_BYTES) {
        const read = readWhole(this.blobs, sha256, size);
        // Taken (and its failure thrown) in order; a tar cut short never takes some of them.
        read.catch(() => {});
        this.reads.set(this.next, read);
        this.bytes += size;
      }
      this.next++;
    }
  }
}

/**
 * A blob's bytes in one read: open, read, close (no fstat, no chunked readFile: its size is
 * known). One byte more is asked for, so a longer blob than listed — a damaged store — is
 * never sent, nor a shorter one.
 */
async function readWhole(blobs: BlobStore, sha256: string, size: number): Promise<Buffer> {
  const fd = await openFd(blobs.path(sha256), 'r');
  try {
    const data = Buffer.allocUnsafe(size + 1);
    let length = 0;
    // A regular file gives fewer bytes than asked only at its end: one read, as a rule.
    for (;;) {
      const { bytesRead } = await readFd(fd, data, length, data.length - length, length);
      length += bytesRead;
      if (bytesRead === 0 || length >= size) break;
    }
    if (length !== size) throw new Error(`blob ${sha256} holds ${length > size ? 'more' : length} bytes, its manifest says ${size}`);
    return data.subarray(0, size);
  } finally {
    await closeFd(fd);
  }
}
