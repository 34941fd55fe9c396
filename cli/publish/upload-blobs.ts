import { createReadStream, readFileSync } from 'node:fs';
import { Transform } from 'node:stream';
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

/**
 * Files up to this size are read with one synchronous call: they were just hashed, so they come
 * from the page cache in microseconds, where an async read is four trips to the thread pool
 * (open, fstat, read, close) — most of the CLI's time per small file of a cold publish.
 */
const READ_SYNC_BYTES = 256 * 1024;

type Job = { kind: 'put'; sha256: string; blob: LocalBlob } | { kind: 'tar'; blobs: [string, LocalBlob][] };

/** The local blobs of the shas the server reported missing, each once; throws on one the tree lacks. */
export function blobsNamed(missing: readonly string[], local: (sha256: string) => LocalBlob | undefined): [string, LocalBlob][] {
  const wanted: [string, LocalBlob][] = [];
  for (const sha256 of new Set(missing)) {
    const blob = local(sha256);
    if (!blob) throw new CodesyncError('SERVER_ERROR', `the server asked for blob ${sha256}, which this tree does not hold`);
    wanted.push([sha256, blob]);
  }
  return wanted;
}

/**
 * Uploads the blobs `wanted` (distinct): many small ones as tar streams (`POST /v1/blobs`), big
 * ones (and a lone small one) one by one (`PUT /v1/blobs/:sha`), a few requests at a time.
 */
export async function uploadBlobs(client: ApiClient, wanted: readonly [string, LocalBlob][], options: UploadOptions): Promise<{ blobs: number; bytes: number }> {
  const jobs = planJobs(wanted, options);
  let bytes = 0;
  const count = (n: number): void => {
    bytes += n;
    options.onBytes?.(n);
  };
  // The tar writer loads only when a batch needs it: a one-file re-publish sends a single PUT.
  const { blobTar } = jobs.some((job) => job.kind === 'tar') ? await import('./blob-tar.js') : { blobTar: undefined };
  await mapLimit(jobs, options.concurrency, async (job) => {
    if (job.kind === 'tar') {
      await client.postBlobs(blobTar!(job.blobs, count, options.signal), options.signal);
    } else if (job.blob.size <= READ_SYNC_BYTES) {
      const data = job.blob.bytes ?? readFileSync(job.blob.absolute);
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
function planJobs(wanted: readonly [string, LocalBlob][], options: UploadOptions): Job[] {
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

function byteCounter(count: (bytes: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      count(chunk.length);
      callback(null, chunk);
    },
  });
}

function changedWhileUploading(blob: LocalBlob): CodesyncError {
  return new CodesyncError('TREE_CHANGED', `${JSON.stringify(blob.absolute)} changed between hashing and upload; publish again once writes settle`);
}
