import { Worker } from 'node:worker_threads';
import type { CompactManifest } from '../../protocol/compact-manifest.js';
import type { ObjectLayout } from '../cache/layout.js';
import type { CloneJob, CloneReply } from './tree-clone-thread.js';

/** Nice value of the clone thread: the lowest priority, so a critical path anywhere on the machine goes first. */
const CLONE_NICE = 19;

/** Clone threads not yet gone (exited), each settling once it is. */
const exiting = new Set<Promise<void>>();

/**
 * Settles once every clone thread started so far is gone, its heap freed: for the memory release
 * at the end of background work. A clone itself settles at the thread's reply, not at its exit:
 * a thread at nice 19 on a loaded node can take seconds to tear down, and a sync may be waiting.
 */
export async function cloneThreadsGone(): Promise<void> {
  await Promise.all([...exiting]);
}

/**
 * Builds a tree of `manifest` at `dir` (hardlinks from the cache, every directory flushed) on a
 * thread of its own at the lowest CPU priority: the spare and reserve clones (10 000 links and
 * directory fsyncs per 10 000 files) are background work, and on a node shared with apps, or a
 * machine shared with other agents, they used to take the CPU from whatever needed it now. The
 * thread lives for one clone, so an idle agent holds none. Aborting ends the thread; the caller
 * removes what it left. When `hurry` fires (a sync waits for this tree), the thread asks to run
 * at the agent's priority again; where lowering is allowed but raising is not (no CAP_SYS_NICE),
 * it stays low.
 */
export async function cloneTree(dir: string, manifest: CompactManifest, objects: ObjectLayout, signal: AbortSignal, hurry?: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  const { lineStarts, pathStarts } = manifest.offsets();
  const job: CloneJob = { dir, objectsDir: objects.dir, text: manifest.text, lineStarts, pathStarts, nice: hurry?.aborted ? undefined : CLONE_NICE };
  const worker = new Worker(new URL('./tree-clone-thread.js', import.meta.url), { workerData: job });
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => void worker.terminate();
    const onHurry = () => worker.postMessage('hurry');
    signal.addEventListener('abort', onAbort, { once: true });
    hurry?.addEventListener('abort', onHurry, { once: true });
    worker.once('message', (reply: CloneReply) => {
      if (reply.ok) resolve();
      else reject(Object.assign(new Error(reply.message), { code: reply.code }));
    });
    worker.once('error', reject);
    const gone = new Promise<void>((exited) => {
      worker.once('exit', (code) => {
        signal.removeEventListener('abort', onAbort);
        hurry?.removeEventListener('abort', onHurry);
        exiting.delete(gone);
        exited();
        // After a reply this settles nothing.
        reject(signal.aborted ? signal.reason : new Error(`the clone thread exited (${code}) before it finished`));
      });
    });
    exiting.add(gone);
  });
}
