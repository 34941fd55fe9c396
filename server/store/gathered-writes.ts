import type { FileHandle } from 'node:fs/promises';
import { CodesyncError } from '../../protocol/errors.js';

/** Bytes gathered at most while a write runs: the body is read on until then. */
const GATHER_BYTES = 1024 * 1024;
/** Chunks gathered into one write at most, whatever their bytes: below IOV_MAX (1024 on Linux). */
const GATHER_PARTS = 256;

/**
 * Appends chunks to a file with one write in flight at a time: the chunks that arrive while it
 * runs (and those of the same turn of the event loop) go together in the next (`writev`). A big
 * blob of a cold publish arrives in socket chunks of at most 64 KiB, and a write each was a
 * promise and a thread-pool trip per chunk (~2 000 for the 10 000-file tree's 125 MB of big
 * blobs), with the body not read while each ran. No byte waits for more to come: a write starts
 * as soon as none runs. `add` hands over a chunk, which must not change afterwards, and waits only
 * while GATHER_BYTES are gathered; `end` resolves once every byte is in the file. A short write
 * is a full disk (STORE_FULL); a failed write fails the next `add` or `end`.
 */
export class GatheredWrites {
  private parts: Uint8Array[] = [];
  private bytes = 0;
  private writing: Promise<void> | undefined;
  private scheduled = false;
  private failure: { err: unknown } | undefined;
  private written = 0;

  constructor(private readonly handle: FileHandle) {}

  /** Takes `chunk`; resolves at once unless GATHER_BYTES (or GATHER_PARTS) wait for the write in flight. */
  async add(chunk: Uint8Array): Promise<void> {
    this.throwFailure();
    if (chunk.length === 0) return;
    this.parts.push(chunk);
    this.bytes += chunk.length;
    this.schedule();
    // Enough gathered: wait for the write in flight, or write now when none runs.
    while (!this.failure && (this.bytes >= GATHER_BYTES || this.parts.length >= GATHER_PARTS)) {
      if (this.writing) await this.writing;
      else this.start();
    }
    this.throwFailure();
  }

  /** Writes what is gathered; resolves with the bytes written in all. */
  async end(): Promise<number> {
    await this.settle();
    this.start();
    await this.settle();
    this.throwFailure();
    return this.written;
  }

  /** Throws what failed a write, if one did. */
  private throwFailure(): void {
    if (this.failure) throw this.failure.err;
  }

  /** Waits for the write in flight, whatever its outcome (before closing the file on a failure). */
  async settle(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Starts the next write at the end of this turn, so what else arrives in it goes along. */
  private schedule(): void {
    if (this.scheduled || this.writing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.start();
    });
  }

  private start(): void {
    if (this.writing || this.failure || this.parts.length === 0) return;
    const parts = this.parts;
    const bytes = this.bytes;
    this.parts = [];
    this.bytes = 0;
    this.writing = writeAll(this.handle, parts, bytes).then(
      () => {
        this.written += bytes;
        this.writing = undefined;
        if (this.parts.length > 0) this.schedule();
      },
      (err: unknown) => {
        this.failure ??= { err };
        this.writing = undefined;
      },
    );
  }
}

/** Writes every byte of `parts` at the file's position; a write that takes fewer is a full disk. */
async function writeAll(handle: FileHandle, parts: Uint8Array[], bytes: number): Promise<void> {
  const { bytesWritten } = parts.length === 1 ? await handle.write(parts[0]!, 0, bytes, null) : await handle.writev(parts);
  if (bytesWritten !== bytes) throw new CodesyncError('STORE_FULL', `short write: the disk took ${bytesWritten} of ${bytes} bytes`);
}
