import { once } from 'node:events';
import type { MessagePort, Worker } from 'node:worker_threads';

/** The message endWorker posts; the thread's handler gives every message to `endRequested` first. */
const END_REQUEST = 'codesync:end';

/**
 * Ends `worker` by asking it to: the thread closes its port on the request, after the messages
 * before it, and exits once the work they started is done. Not `terminate()`, for a thread that
 * loads or calls koffi (libc.ts): terminated during the addon's init or with a call of it in
 * flight, the addon's `napi_throw` cannot run in the dying thread and the whole process aborts
 * (2 of 100 agents starting a cold sync at once did). `worker` must not have exited yet.
 */
export async function endWorker(worker: Worker): Promise<void> {
  const exited = once(worker, 'exit');
  // An idle worker is often unreferenced: the exit this waits for must keep the process up.
  worker.ref();
  worker.postMessage(END_REQUEST);
  await exited;
}

/** In the thread: true when `message` is endWorker's request, and `port` is closed then. */
export function endRequested(message: unknown, port: MessagePort): boolean {
  if (message !== END_REQUEST) return false;
  port.close();
  return true;
}
