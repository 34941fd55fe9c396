import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { CompactManifest } from '../../protocol/compact-manifest.js';
import { ObjectLayout } from '../cache/layout.js';
import type { ObjectCache } from '../cache/object-cache.js';
import { buildTree } from './tree-builder.js';

/** What tree-clone.ts asks of this thread: a tree of `manifest` at `dir`, linked from `objectsDir`. */
export interface CloneJob {
  dir: string;
  objectsDir: string;
  text: Uint8Array;
  lineStarts: Uint32Array;
  pathStarts: Uint32Array;
  /** Nice value of this thread (Linux sets it per thread); 19 yields to everything else. */
  nice: number;
}

export type CloneReply = { ok: true } | { ok: false; code: string | undefined; message: string };

const job = workerData as CloneJob;
// Per thread on Linux only: elsewhere setpriority(2) would lower the whole agent, its syncs too.
if (process.platform === 'linux') {
  try {
    setPriority(job.nice);
  } catch {
    // A container that forbids it: the clone runs at the agent's priority, as before.
  }
}
const manifest = CompactManifest.fromCanonicalText(Buffer.from(job.text.buffer, job.text.byteOffset, job.text.byteLength), job.lineStarts, job.pathStarts);
const layout = new ObjectLayout(job.objectsDir);
// buildTree asks the cache for object paths only.
const objects = { path: (sha256: string, mode: number) => layout.objectPath(sha256, mode) } as unknown as ObjectCache;
buildTree(job.dir, manifest, objects, new AbortController().signal).then(
  () => parentPort?.postMessage({ ok: true } satisfies CloneReply),
  (err: unknown) => parentPort?.postMessage({ ok: false, code: (err as NodeJS.ErrnoException)?.code, message: (err as Error)?.message ?? String(err) } satisfies CloneReply),
);
