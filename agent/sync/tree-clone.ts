import { Worker } from 'node:worker_threads';
import type { CompactManifest } from '../../protocol/compact-manifest.js';
import type { ObjectLayout } from '../cache/layout.js';
import type { CloneJob, CloneMessage, CloneReply, CloneThreadId } from './tree-clone-thread.js';
import { setThreadIoClass, type IoClass } from './thread-io-priority.js';

/** Nice value of the clone thread: the lowest priority, so a critical path anywhere on the machine goes first. */
const CLONE_NICE = 19;

/**
 * How long a clone thread waits for the next clone before it ends. The spare and the reserves
 * after a cold sync are asked for one after the other, milliseconds apart: one thread makes all
 * three, where a thread each cost ~50 ms of CPU to start (an isolate and its modules).
 */
const LINGER_MS = 1000;

/** A clone thread: busy with one job, or lingering for the next. */
interface CloneThread {
  worker: Worker;
  /** True once the thread runs below the agent's priority and could not raise it again. */
  lowered: boolean;
  /** Ends a lingering thread; undefined while it works. */
  linger: NodeJS.Timeout | undefined;
  /** The thread's kernel id once it sent it (CloneThreadId); undefined before, or without /proc. */
  tid: number | undefined;
  /** The IO class the thread's job wants: set from here (applyIoClass), by its tid. */
  ioClass: IoClass;
}

/** Clone threads not yet gone (exited), each settling once it is. */
const exiting = new Set<Promise<void>>();

/** The thread waiting for its next job, if any. */
let lingering: CloneThread | undefined;

/**
 * Settles once every clone thread started so far is gone, its heap freed: for the memory release
 * at the end of background work. A lingering thread is ended now (whoever asks has no clone to
 * come). A clone itself settles at the thread's reply, not at its exit: a thread at nice 19 on a
 * loaded node can take seconds to tear down, and a sync may be waiting.
 */
export async function cloneThreadsGone(): Promise<void> {
  if (lingering) end(lingering);
  await Promise.all([...exiting]);
}

/**
 * Builds a tree of `manifest` at `dir` (hardlinks from the cache, every directory flushed) on a
 * thread of its own at the lowest CPU priority: the spare and reserve clones (10 000 links and
 * directory fsyncs per 10 000 files) are background work, and on a node shared with apps, or a
 * machine shared with other agents, they used to take the CPU from whatever needed it now. The
 * thread makes the clones asked for while it lingers (LINGER_MS) and ends then, so an idle agent
 * holds none. Aborting ends the thread; the caller removes what it left. When `hurry` fires (a
 * sync waits for this tree), the thread asks to run at the agent's priority again; where
 * lowering is allowed but raising is not (no CAP_SYS_NICE), it stays low, and a clone that wants
 * the agent's priority from the start then gets a new thread.
 */
export async function cloneTree(dir: string, manifest: CompactManifest, objects: ObjectLayout, signal: AbortSignal, hurry?: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  const { lineStarts, pathStarts } = manifest.offsets();
  const nice = hurry?.aborted ? undefined : CLONE_NICE;
  const job: CloneJob = { dir, objectsDir: objects.dir, text: manifest.text, lineStarts, pathStarts, nice };
  const thread = takeThread(nice !== undefined);
  const { worker } = thread;
  worker.ref();
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => end(thread);
    const onHurry = () => {
      applyIoClass(thread, 'none');
      worker.postMessage('hurry' satisfies CloneMessage);
    };
    const onExit = (code: number) => {
      detach();
      reject(signal.aborted ? signal.reason : new Error(`the clone thread exited (${code}) before it finished`));
    };
    const onError = (err: Error) => {
      detach();
      end(thread);
      reject(err);
    };
    const onReply = (reply: CloneReply | CloneThreadId) => {
      if ('tid' in reply) return;
      detach();
      thread.lowered = reply.lowered;
      if (reply.ok) {
        keep(thread);
        resolve();
      } else {
        end(thread);
        reject(Object.assign(new Error(reply.message), { code: reply.code }));
      }
    };
    const detach = () => {
      signal.removeEventListener('abort', onAbort);
      hurry?.removeEventListener('abort', onHurry);
      worker.off('exit', onExit);
      worker.off('error', onError);
      worker.off('message', onReply);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    hurry?.addEventListener('abort', onHurry, { once: true });
    worker.on('message', onReply);
    worker.once('error', onError);
    worker.once('exit', onExit);
    applyIoClass(thread, nice === undefined ? 'none' : 'idle');
    worker.postMessage({ job } satisfies CloneMessage);
  });
}

/** The lingering thread when it can run the job (at nice 19, or not lowered), else a new one. */
function takeThread(low: boolean): CloneThread {
  const idle = lingering;
  lingering = undefined;
  if (idle) {
    clearTimeout(idle.linger);
    idle.linger = undefined;
    if (low || !idle.lowered) return idle;
    end(idle);
  }
  const worker = new Worker(new URL('./tree-clone-thread.js', import.meta.url));
  const gone = new Promise<void>((exited) => worker.once('exit', () => exited()));
  exiting.add(gone);
  void gone.then(() => exiting.delete(gone));
  const thread: CloneThread = { worker, lowered: false, linger: undefined, tid: undefined, ioClass: 'none' };
  worker.once('message', (message: CloneThreadId) => {
    thread.tid = message.tid;
    if (thread.ioClass !== 'none') applyIoClass(thread, thread.ioClass);
  });
  // For the thread's whole life, not only while a job waits on it: an error event with no
  // listener would end the agent. A job's own listener rejects it; this one ends the thread.
  worker.on('error', () => end(thread));
  return thread;
}

/** Keeps a thread whose job is done for the next one, for LINGER_MS; it keeps no process alive. */
function keep(thread: CloneThread): void {
  if (lingering) end(lingering);
  lingering = thread;
  thread.worker.unref();
  thread.linger = setTimeout(() => end(thread), LINGER_MS);
  thread.linger.unref();
}

/**
 * Puts the thread's IO in `wanted` class, now if its tid came, else when it comes. Set from this
 * thread, so the clone thread loads no koffi and ending it with terminate() (an abort of its
 * clone) stays safe (protocol/runtime/worker-end.ts).
 */
function applyIoClass(thread: CloneThread, wanted: IoClass): void {
  thread.ioClass = wanted;
  if (thread.tid !== undefined) setThreadIoClass(thread.tid, wanted);
}

function end(thread: CloneThread): void {
  clearTimeout(thread.linger);
  if (lingering === thread) lingering = undefined;
  void thread.worker.terminate();
}
