import { Worker } from 'node:worker_threads';
import { blobEntryBytes } from '../../protocol/blob-tar-header.js';
/** A batch closes at this many files or bytes: small enough for smooth progress and balance. */
const BATCH_FILES = 64;
const BATCH_BYTES = 8 * 1024 * 1024;
/**
 * Hashes many files on `threads` worker threads, each fed batches as it finishes the last one.
 * `onBatch` gets each job with its outcome and the wall-clock time (ms) the batch was sent, which is before
 * any of its files was read. Workers end when the work does or `signal` aborts.
 */
export async function hashOnWorkers(jobs, threads, signal, onBatch, keep = { fileBytes: 0, budgetBytes: 0 }) {
    let budget = keep.budgetBytes;
    const batches = toBatches(jobs);
    let next = 0;
    const workers = Array.from({ length: Math.max(1, Math.min(threads, batches.length)) }, () => new Worker(new URL('./hash-worker.js', import.meta.url)));
    const abort = () => {
        for (const worker of workers)
            void worker.terminate();
    };
    signal.addEventListener('abort', abort, { once: true });
    try {
        await Promise.all(workers.map(async (worker) => {
            while (next < batches.length) {
                signal.throwIfAborted();
                const id = next++;
                const batch = batches[id];
                const sentAtMs = Date.now();
                let keepFileBytes = 0;
                let tarBytes = 0;
                let as;
                if (keep.keepAs) {
                    for (const job of batch)
                        if (job.size <= keep.fileBytes)
                            tarBytes += blobEntryBytes(job.size);
                    as = tarBytes > 0 ? await keep.keepAs(tarBytes) : undefined;
                    if (as)
                        keepFileBytes = keep.fileBytes;
                }
                else if (budget > 0) {
                    keepFileBytes = keep.fileBytes;
                    for (const job of batch)
                        if (job.size <= keepFileBytes)
                            budget -= job.size;
                }
                const request = { id, paths: batch.map((job) => job.path), sizes: batch.map((job) => job.size), keepFileBytes, tarEntries: as === 'tar' };
                const reply = await ask(worker, request, signal);
                const piece = as === 'tar' ? { tar: reply.kept ? Buffer.from(reply.kept, 0, reply.keptBytes ?? 0) : Buffer.alloc(0), reserved: tarBytes } : undefined;
                onBatch(batch.map((job, i) => ({ job, outcome: hashedFile(reply.outcomes[i], reply.kept) })), sentAtMs, piece);
            }
        }));
    }
    finally {
        signal.removeEventListener('abort', abort);
        await Promise.all(workers.map((worker) => worker.terminate()));
    }
}
function hashedFile(outcome, kept) {
    if ('errno' in outcome || outcome.keptAt === undefined || !kept)
        return outcome;
    return { sha256: outcome.sha256, size: outcome.size, bytes: Buffer.from(kept, outcome.keptAt, outcome.size) };
}
/** Sends one batch and waits for its reply, or for the worker to fail or be stopped. */
function ask(worker, request, signal) {
    return new Promise((resolve, reject) => {
        const cleanup = () => {
            worker.off('message', onMessage);
            worker.off('error', onError);
            worker.off('exit', onExit);
        };
        const onMessage = (reply) => {
            cleanup();
            resolve(reply);
        };
        const onError = (err) => {
            cleanup();
            reject(err);
        };
        const onExit = (code) => {
            cleanup();
            reject(signal.aborted ? signal.reason : new Error(`hash worker exited with code ${code}`));
        };
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        worker.postMessage(request);
    });
}
function toBatches(jobs) {
    const batches = [];
    let batch = [];
    let bytes = 0;
    for (const job of jobs) {
        batch.push(job);
        bytes += job.size;
        if (batch.length >= BATCH_FILES || bytes >= BATCH_BYTES) {
            batches.push(batch);
            batch = [];
            bytes = 0;
        }
    }
    if (batch.length > 0)
        batches.push(batch);
    return batches;
}
//# sourceMappingURL=hash-pool.js.map