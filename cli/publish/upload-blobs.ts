import { createReadStream, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type TarStream from 'tar-stream';
import { CodesyncError } from '../../protocol/errors.js';
import type { ApiClient } from '../../protocol/client/api-client.js';
import type { LocalBlob } from './hash-tree.js';
import { mapLimit } from '../../protocol/runtime/map-limit.js';

export interface UploadOptions {
  /** Requests in flight at once: the server spends most of a blob's time in fsync, so several overlap well. */
  concurrency: number;
  /** Blobs at least this big go alone through `PUT /v1/blobs/:sha`; smaller ones share tar batches. */
  bigBlobBytes: number;
  /** A tar batch closes once it holds this many bytes of content. */
  batchBytes: number;
  /** ... or this many blobs. */
  batchBlobs: number;
  signal: AbortSignal;
  /** Called as content bytes leave for the server. */
  onBytes?: (bytes: number) => void;
}

export const UPLOAD_DEFAULTS = { concurrency: 8, bigBlobBytes: 16 * 1024 * 1024, batchBytes: 8 * 1024 * 1024, batchBlobs: 1024 } as const;

/** Files up to this size are read whole into the tar; bigger ones are streamed. */
const READ_WHOLE_BYTES = 1024 * 1024;
/**
 * Files up to this size are read with one synchronous call: they were just hashed, so they come
 * from the page cache in microseconds, where an async read is four trips to the thread pool
 * (open, fstat, read, close) — most of the CLI's time per small file of a cold publish.
 */
const READ_SYNC_BYTES = 256 * 1024;

type Job = { kind: 'put'; sha256: string; blob: LocalBlob } | { kind: 'tar'; blobs: [string, LocalBlob][] };

/**
 * Uploads exactly the blobs the server reported missing: many small ones as tar streams
 * (`POST /v1/blobs`), big ones (and a lone small one) one by one (`PUT /v1/blobs/:sha`), a few
 * requests at a time.
 */
export async function uploadBlobs(client: ApiClient, missing: readonly string[], local: (sha256: string) => LocalBlob | undefined, options: UploadOptions): Promise<{ blobs: number; bytes: number }> {
  const wanted: [string, LocalBlob][] = [];
  for (const sha256 of new Set(missing)) {
    const blob = local(sha256);
    if (!blob) throw new CodesyncError('SERVER_ERROR', `the server asked for blob ${sha256}, which this tree does not hold`);
    wanted.push([sha256, blob]);
  }
  const jobs = planJobs(wanted, options);
  let bytes = 0;
  const count = (n: number): void => {
    bytes += n;
    options.onBytes?.(n);
  };
  // tar-stream loads only when a batch needs it: a one-file re-publish sends a single PUT.
  const tar = jobs.some((job) => job.kind === 'tar') ? (await import('tar-stream')).default : undefined;
  await mapLimit(jobs, options.concurrency, async (job) => {
    if (job.kind === 'tar') {
      await client.postBlobs(blobTar(tar!, job.blobs, count, options.signal), options.signal);
    } else if (job.blob.size <= READ_SYNC_BYTES) {
      const data = readFileSync(job.blob.absolute);
      if (data.length !== job.blob.size) throw changedWhileUploading(job.blob);
      await client.putBlob(job.sha256, data, job.blob.size, options.signal);
      count(data.length);
    } else {
      const stream = createReadStream(job.blob.absolute, { highWaterMark: 1 << 20 });
      await client.putBlob(job.sha256, stream.pipe(byteCounter(count)), job.blob.size, options.signal);
    }
  }, options.signal);
  return { blobs: wanted.length, bytes };
}

/** Big blobs first so the long transfers start early; small ones packed into bounded batches. */
function planJobs(wanted: [string, LocalBlob][], options: UploadOptions): Job[] {
  const jobs: Job[] = [];
  let batch: [string, LocalBlob][] = [];
  let batchBytes = 0;
  for (const [sha256, blob] of [...wanted].sort((a, b) => b[1].size - a[1].size)) {
    if (blob.size >= options.bigBlobBytes) {
      jobs.push({ kind: 'put', sha256, blob });
      continue;
    }
    batch.push([sha256, blob]);
    batchBytes += blob.size;
    if (batchBytes >= options.batchBytes || batch.length >= options.batchBlobs) {
      jobs.push({ kind: 'tar', blobs: batch });
      batch = [];
      batchBytes = 0;
    }
  }
  // A batch of one goes as a plain PUT: no tar framing to build or for the server to read.
  if (batch.length === 1) jobs.push({ kind: 'put', sha256: batch[0]![0], blob: batch[0]![1] });
  else if (batch.length > 0) jobs.push({ kind: 'tar', blobs: batch });
  return jobs;
}

/** A tar stream of the blobs, entries named by sha256, fed lazily as the request drains it. */
function blobTar(tar: typeof TarStream, blobs: [string, LocalBlob][], count: (bytes: number) => void, signal: AbortSignal): Readable {
  const pack = tar.pack();
  const feed = async (): Promise<void> => {
    for (const [sha256, blob] of blobs) {
      signal.throwIfAborted();
      const header = { name: sha256, size: blob.size, mode: 0o644, type: 'file' as const, mtime: new Date(0) };
      if (blob.size <= READ_WHOLE_BYTES) {
        const data = blob.size <= READ_SYNC_BYTES ? readFileSync(blob.absolute) : await readFile(blob.absolute, { signal });
        if (data.length !== blob.size) throw changedWhileUploading(blob);
        await new Promise<void>((resolve, reject) => {
          // The entry's sink is destroyed with the pack when the request fails (a connection
          // reset mid-upload): without a listener its 'error' would crash the CLI instead of
          // reaching the retry.
          pack.entry(header, data, (err) => (err ? reject(err) : resolve())).once('error', reject);
        });
        count(data.length);
      } else {
        await pipeline(createReadStream(blob.absolute, { highWaterMark: 1 << 20 }), byteCounter(count), pack.entry(header));
      }
    }
    pack.finalize();
  };
  feed().catch((err: unknown) => pack.destroy(err instanceof Error && /size mismatch/i.test(err.message) ? changedWhileUploading(undefined, err) : (err as Error)));
  return pack as unknown as Readable;
}

function byteCounter(count: (bytes: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      count(chunk.length);
      callback(null, chunk);
    },
  });
}

function changedWhileUploading(blob: LocalBlob | undefined, cause?: unknown): CodesyncError {
  const what = blob ? JSON.stringify(blob.absolute) : 'a file';
  return new CodesyncError('TREE_CHANGED', `${what} changed between hashing and upload; publish again once writes settle`, { cause });
}
