import { Worker } from 'node:worker_threads';
import type { CompactManifest } from '../../protocol/compact-manifest.js';
import type { ObjectLayout } from '../cache/layout.js';
import type { CloneJob, CloneReply } from './tree-clone-thread.js';

/** Nice value of the clone thread: the lowest priority, so a critical path anywhere on the machine goes first. */
const CLONE_NICE = 19;

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
    let reply: CloneReply | undefined;
    worker.once('message', (answer: CloneReply) => {
      reply = answer;
      if (!answer.ok) reject(Object.assign(new Error(answer.message), { code: answer.code }));
    });
    worker.once('error', reject);
    // Settled once the thread is gone, not at its reply: its heap is freed by then, so the
    // agent's memory release after the background work (cache-pruner.ts) gives it back too.
    worker.once('exit', (code) => {
      signal.removeEventListener('abort', onAbort);
      hurry?.removeEventListener('abort', onHurry);
      if (reply?.ok) resolve();
      else reject(signal.aborted ? signal.reason : new Error(`the clone thread exited (${code}) before it finished`));
    });
  });
}
