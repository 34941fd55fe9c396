import { getPriority, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { CompactManifest } from '../../protocol/compact-manifest.js';
import { ObjectLayout } from '../cache/layout.js';
import type { ObjectPaths } from './tree-builder.js';
import { cloneTreeOnThisThread } from './tree-clone-build.js';
import { currentThreadId } from './thread-io-priority.js';

/** What tree-clone.ts asks of this thread: a tree of `manifest` at `dir`, linked from `objectsDir`. */
export interface CloneJob {
  dir: string;
  objectsDir: string;
  text: Uint8Array;
  lineStarts: Uint32Array;
  pathStarts: Uint32Array;
  /**
   * Nice value of this thread (Linux sets it per thread); 19 yields to everything else (its IO
   * class is the main thread's to set: tree-clone.ts). Undefined: the agent's.
   */
  nice: number | undefined;
}

/**
 * The thread's answer to a job. `lowered`: the thread runs below the agent's priority now (a
 * job at nice 19 it could not raise again), so a job wanting the agent's priority needs another.
 */
export type CloneReply = ({ ok: true } | { ok: false; code: string | undefined; message: string }) & { lowered: boolean };

/** What tree-clone.ts sends: a job, or `hurry` (a sync waits for the job under way). */
export type CloneMessage = { job: CloneJob } | 'hurry';

/** The thread's first message: its kernel thread id, for the main thread to set its IO class by. */
export interface CloneThreadId {
  tid: number | undefined;
}

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

/** Back to the agent's CPU priority, if allowed. */
function hurry(): void {
  hurried = true;
  setThreadNice(niceAtStart);
}

parentPort?.postMessage({ tid: currentThreadId() } satisfies CloneThreadId);

// One job at a time: tree-clone.ts sends the next only after this thread's reply to the last.
let hurried = true;
parentPort?.on('message', (message: CloneMessage) => {
  if (message === 'hurry') {
    hurry();
    return;
  }
  const { job } = message;
  if (job.nice === undefined) hurry();
  else {
    hurried = false;
    setThreadNice(job.nice);
  }
  const manifest = CompactManifest.fromCanonicalText(Buffer.from(job.text.buffer, job.text.byteOffset, job.text.byteLength), job.lineStarts, job.pathStarts);
  const layout = new ObjectLayout(job.objectsDir);
  const objects: ObjectPaths = { path: (sha256, mode) => layout.objectPath(sha256, mode) };
  cloneTreeOnThisThread(job.dir, manifest, objects, () => hurried).then(
    () => parentPort?.postMessage({ ok: true, lowered: getPriority() !== niceAtStart } satisfies CloneReply),
    (err: unknown) => parentPort?.postMessage({ ok: false, code: (err as NodeJS.ErrnoException)?.code, message: (err as Error)?.message ?? String(err), lowered: getPriority() !== niceAtStart } satisfies CloneReply),
  );
});
