import { createReadStream, readFileSync } from 'node:fs';
import { Transform } from 'node:stream';
import { CodesyncError } from '../../protocol/errors.js';
import { mapLimit } from '../../protocol/runtime/map-limit.js';
export const UPLOAD_DEFAULTS = { concurrency: 8, bigBlobBytes: 16 * 1024 * 1024, batchBytes: 8 * 1024 * 1024, batchBlobs: 1024 };
/**
 * Files up to this size are read with one synchronous call: they were just hashed, so they come
 * from the page cache in microseconds, where an async read is four trips to the thread pool
 * (open, fstat, read, close) — most of the CLI's time per small file of a cold publish.
 */
const READ_SYNC_BYTES = 256 * 1024;
/** The local blobs of the shas the server reported missing, each once; throws on one the tree lacks. */
export function blobsNamed(missing, local) {
    const wanted = [];
    for (const sha256 of new Set(missing)) {
        const blob = local(sha256);
        if (!blob)
            throw new CodesyncError('SERVER_ERROR', `the server asked for blob ${sha256}, which this tree does not hold`);
        wanted.push([sha256, blob]);
    }
    return wanted;
}
/**
 * Uploads the blobs `wanted` (distinct): many small ones as tar streams (`POST /v1/blobs`), big
 * ones (and a lone small one) one by one (`PUT /v1/blobs/:sha`), a few requests at a time.
 */
export async function uploadBlobs(client, wanted, options) {
    const jobs = planJobs(wanted, options);
    let bytes = 0;
    const count = (n) => {
        bytes += n;
        options.onBytes?.(n);
    };
    // The tar writer loads only when a batch needs it: a one-file re-publish sends a single PUT.
    const { blobTar } = jobs.some((job) => job.kind === 'tar') ? await import('./blob-tar.js') : { blobTar: undefined };
    await mapLimit(jobs, options.concurrency, async (job) => {
        if (job.kind === 'tar') {
            await client.postBlobs(blobTar(job.blobs, count, options.signal), options.signal);
        }
        else if (job.blob.size <= READ_SYNC_BYTES) {
            const data = job.blob.bytes ?? readFileSync(job.blob.absolute);
            if (data.length !== job.blob.size)
                throw changedWhileUploading(job.blob);
            await client.putBlob(job.sha256, data, job.blob.size, options.signal);
            count(data.length);
        }
        else {
            const stream = createReadStream(job.blob.absolute, { highWaterMark: 1 << 20 });
            await client.putBlob(job.sha256, stream.pipe(byteCounter(count)), job.blob.size, options.signal);
        }
    }, options.signal);
    return { blobs: wanted.length, bytes };
}
/** Big blobs first so the long transfers start early; small ones packed into bounded batches. */
function planJobs(wanted, options) {
    const jobs = [];
    let batch = [];
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
    if (batch.length === 1)
        jobs.push({ kind: 'put', sha256: batch[0][0], blob: batch[0][1] });
    else if (batch.length > 0)
        jobs.push({ kind: 'tar', blobs: batch });
    return jobs;
}
function byteCounter(count) {
    return new Transform({
        transform(chunk, _encoding, callback) {
            count(chunk.length);
            callback(null, chunk);
        },
    });
}
function changedWhileUploading(blob) {
    return new CodesyncError('TREE_CHANGED', `${JSON.stringify(blob.absolute)} changed between hashing and upload; publish again once writes settle`);
}
//# sourceMappingURL=upload-blobs.js.map