import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { CompactManifest } from '../../protocol/compact-manifest.js';
import { ObjectLayout } from '../cache/layout.js';
import type { ObjectPaths } from './tree-builder.js';
import { cloneTreeOnThisThread } from './tree-clone-build.js';
import { setThreadIoClass } from './thread-io-priority.js';

/** What tree-clone.ts asks of this thread: a tree of `manifest` at `dir`, linked from `objectsDir`. */
export interface CloneJob {
  dir: string;
  objectsDir: string;
  text: Uint8Array;
  lineStarts: Uint32Array;
  pathStarts: Uint32Array;
  /**
   * Nice value of this thread (Linux sets it per thread); 19 yields to everything else, and puts
   * its IO in the idle class too. Undefined: the agent's.
   */
  nice: number | undefined;
}

export type CloneReply = { ok: true } | { ok: false; code: string | undefined; message: string };

const job = workerData as CloneJob;
const niceAtStart = getPriority();

/** Per thread on Linux only: elsewhere setpriority(2) would change the whole agent, its syncs too. */
function setThreadNice(nice: number): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(nice);
  } catch {
    // Not allowed here (raising needs CAP_SYS_NICE): the clone goes on at the priority it has.
  }
}

if (job.nice !== undefined) {
  setThreadNice(job.nice);
  setThreadIoClass('idle');
}
// A sync waits for this tree: back to the agent's priority, if allowed. Unref'd: the port alone
// keeps the thread alive no longer than the build does.
let hurried = job.nice === undefined;
parentPort?.on('message', () => {
  hurried = true;
  setThreadNice(niceAtStart);
  setThreadIoClass('none');
});
parentPort?.unref();
const manifest = CompactManifest.fromCanonicalText(Buffer.from(job.text.buffer, job.text.byteOffset, job.text.byteLength), job.lineStarts, job.pathStarts);
const layout = new ObjectLayout(job.objectsDir);
const objects: ObjectPaths = { path: (sha256, mode) => layout.objectPath(sha256, mode) };
cloneTreeOnThisThread(job.dir, manifest, objects, () => hurried).then(
  () => parentPort?.postMessage({ ok: true } satisfies CloneReply),
  (err: unknown) => parentPort?.postMessage({ ok: false, code: (err as NodeJS.ErrnoException)?.code, message: (err as Error)?.message ?? String(err) } satisfies CloneReply),
);
