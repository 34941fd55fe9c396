import { Worker } from 'node:worker_threads';
import { blobEntryBytes } from '../../protocol/blob-tar-header.js';
import type { HashOutcome, HashReply, HashRequest } from './hash-worker.js';

export interface HashJob {
  path: string;
  size: number;
}

/** What a worker hashed: with `bytes` when it kept them (see HashKeep), or `inTar` when it laid them in the batch's tar piece. */
export type HashedFile = { sha256: string; size: number; bytes?: Buffer; inTar?: true } | { errno: string; message: string };

/**
 * Which files come back with their bytes, so an upload need not open them again: those of at
 * most `fileBytes`, until `budgetBytes` of them are held (counted when a batch is sent).
 */
export interface HashKeep {
  fileBytes: number;
  budgetBytes: number;
  /**
   * When given, asked per batch (with the bytes its small files would take as tar entries) in
   * place of `budgetBytes`: `tar` lays them out as a piece of a blob tar (HashRequest.tarEntries)
   * handed to `onBatch` as `tar`, and may wait for room (a pipelined upload frees what it sent);
   * `bytes` keeps them as plain bytes; undefined keeps none.
   */
  keepAs?: (tarBytes: number) => Promise<'tar' | 'bytes' | undefined>;
  /** Memory of a piece already sent, of at least `tarBytes`, for the worker to lay the next one in (HashRequest.spare). */
  spare?: (tarBytes: number) => ArrayBuffer | undefined;
}

/** A batch's kept files as tar entries, and the room `keepAs` gave it (to hand back once sent). */
export interface TarPiece {
  tar: Buffer;
  reserved: number;
  /** The memory `tar` views, to be handed back (HashKeep.spare) once what was read from it is sent. */
  memory?: ArrayBuffer;
}

/** A batch closes at this many files or bytes: small enough for smooth progress and balance. */
const BATCH_FILES = 64;
const BATCH_BYTES = 8 * 1024 * 1024;

/**
 * Hashes many files on `threads` worker threads, each fed batches as it finishes the last one.
 * `onBatch` gets each job with its outcome and the wall-clock time (ms) the batch was sent, which is before
 * any of its files was read. Workers end when the work does or `signal` aborts.
 */
export async function hashOnWorkers<J extends HashJob>(
  jobs: readonly J[],
  threads: number,
  signal: AbortSignal,
  onBatch: (results: { job: J; outcome: HashedFile }[], sentAtMs: number, piece: TarPiece | undefined) => void,
  keep: HashKeep = { fileBytes: 0, budgetBytes: 0 },
): Promise<void> {
  let budget = keep.budgetBytes;
  const batches = toBatches(jobs);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(threads, batches.length)) }, () => new Worker(new URL('./hash-worker.js', import.meta.url)));
  const abort = (): void => {
    for (const worker of workers) void worker.terminate();
  };
  signal.addEventListener('abort', abort, { once: true });
  try {
    await Promise.all(
      workers.map(async (worker) => {
        while (next < batches.length) {
          signal.throwIfAborted();
          const id = next++;
          const batch = batches[id] as J[];
          const sentAtMs = Date.now();
          let keepFileBytes = 0;
          let tarBytes = 0;
          let as: 'tar' | 'bytes' | undefined;
          if (keep.keepAs) {
            for (const job of batch) if (job.size <= keep.fileBytes) tarBytes += blobEntryBytes(job.size);
            as = tarBytes > 0 ? await keep.keepAs(tarBytes) : undefined;
            if (as) keepFileBytes = keep.fileBytes;
          } else if (budget > 0) {
            keepFileBytes = keep.fileBytes;
            for (const job of batch) if (job.size <= keepFileBytes) budget -= job.size;
          }
          const spare = as === 'tar' ? keep.spare?.(tarBytes) : undefined;
          const request: HashRequest = { id, paths: batch.map((job) => job.path), sizes: batch.map((job) => job.size), keepFileBytes, tarEntries: as === 'tar', ...(spare ? { spare } : {}) };
          const reply = await ask(worker, request, signal, spare);
          const piece = as === 'tar' ? { tar: reply.kept ? Buffer.from(reply.kept, 0, reply.keptBytes ?? 0) : Buffer.alloc(0), reserved: tarBytes, ...(reply.kept ? { memory: reply.kept } : {}) } : undefined;
          onBatch(batch.map((job, i) => ({ job, outcome: hashedFile(reply.outcomes[i] as HashOutcome, reply.kept, piece !== undefined) })), sentAtMs, piece);
        }
      }),
    );
  } finally {
    signal.removeEventListener('abort', abort);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** A file kept in a tar piece gets no view of its bytes: the piece goes up whole (a view a file was ~1 us and garbage, 100 000 small files). */
function hashedFile(outcome: HashOutcome, kept: ArrayBuffer | undefined, tar: boolean): HashedFile {
  if ('errno' in outcome || outcome.keptAt === undefined || !kept) return outcome;
  if (tar) return { sha256: outcome.sha256, size: outcome.size, inTar: true };
  return { sha256: outcome.sha256, size: outcome.size, bytes: Buffer.from(kept, outcome.keptAt, outcome.size) };
}

/** Sends one batch and waits for its reply, or for the worker to fail or be stopped. */
function ask(worker: Worker, request: HashRequest, signal: AbortSignal, spare: ArrayBuffer | undefined): Promise<HashReply> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (reply: HashReply): void => {
      cleanup();
      resolve(reply);
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(signal.aborted ? signal.reason : new Error(`hash worker exited with code ${code}`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(request, spare ? [spare] : []);
  });
}

function toBatches<J extends HashJob>(jobs: readonly J[]): J[][] {
  const batches: J[][] = [];
  let batch: J[] = [];
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
  if (batch.length > 0) batches.push(batch);
  return batches;
}
