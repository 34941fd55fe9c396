import { lstatSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { fileModeOf } from '../../protocol/manifest.js';
import { STAT_FIELDS, type LstatRequest } from './lstat-worker.js';
import type { FileNode } from './walk-tree.js';

/**
 * From this many files a walk lstats them on two threads. lstat is a kernel call plus a Stats
 * object with four Dates: 100 000 of them are most of a big tree's re-publish (~300 ms of its
 * ~400 ms walk on an idle 2-core box). Below it, the helper's start (~30 ms of CPU) costs more
 * than it saves.
 */
export const HELPER_MIN_FILES = 30_000;
/** Files taken at once by either thread: few enough to share the end of the list evenly. */
const CHUNK_FILES = 512;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

/** A thread started while the walk still lists directories, so it is up by the time the lstats begin. */
export function startLstatHelper(): Worker {
  return new Worker(new URL('./lstat-worker.js', import.meta.url));
}

/**
 * lstats every file the listing found and fills in its identity and mode. The ones lstat no
 * longer finds a regular file (replaced, removed, unreadable since they were listed) are
 * returned: the caller looks at them again, on its own. With a `helper`, it takes chunks of the
 * list from the same counter as this thread and is stopped at the end, whatever happens;
 * `meanwhile` runs on this thread once the helper has its work, before this thread takes a share.
 */
export async function statFiles(root: string, files: readonly FileNode[], helper: Worker | undefined, signal: AbortSignal, meanwhile?: () => void): Promise<FileNode[]> {
  const odd: FileNode[] = [];
  if (!helper) {
    meanwhile?.();
    for (const node of files) {
      const st = lstatSync(node.absolute, { throwIfNoEntry: false });
      if (st) settle(node, st.size, st.mtimeMs, st.ctimeMs, st.ino, st.mode, odd);
      else odd.push(node);
    }
    return odd;
  }
  try {
    const next = new SharedArrayBuffer(4);
    const results = new SharedArrayBuffer(files.length * STAT_FIELDS * 8);
    const counter = new Int32Array(next);
    const done = helperDone(helper);
    // Holds what the helper wrote, whatever happens to the main thread's share.
    void done.catch(() => undefined);
    helper.postMessage({ root, paths: files.map((node) => node.path).join('\0'), next, results, chunkFiles: CHUNK_FILES } satisfies LstatRequest);
    meanwhile?.();
    const chunks = Math.ceil(files.length / CHUNK_FILES);
    const mine = new Uint8Array(chunks);
    for (let chunk = Atomics.add(counter, 0, 1); chunk < chunks; chunk = Atomics.add(counter, 0, 1)) {
      signal.throwIfAborted();
      mine[chunk] = 1;
      const end = Math.min((chunk + 1) * CHUNK_FILES, files.length);
      for (let i = chunk * CHUNK_FILES; i < end; i++) {
        const node = files[i]!;
        const st = lstatSync(node.absolute, { throwIfNoEntry: false });
        if (st) settle(node, st.size, st.mtimeMs, st.ctimeMs, st.ino, st.mode, odd);
        else odd.push(node);
      }
    }
    // A helper that failed leaves its chunks to be done here again.
    const helped = await done.then(() => true, () => false);
    signal.throwIfAborted();
    const values = new Float64Array(results);
    for (let chunk = 0; chunk < chunks; chunk++) {
      if (mine[chunk]) continue;
      const end = Math.min((chunk + 1) * CHUNK_FILES, files.length);
      for (let i = chunk * CHUNK_FILES; i < end; i++) {
        const node = files[i]!;
        const at = i * STAT_FIELDS;
        if (helped && values[at + 4]! >= 0) settle(node, values[at]!, values[at + 1]!, values[at + 2]!, values[at + 3]!, values[at + 4]!, odd);
        else odd.push(node);
      }
    }
    return odd;
  } finally {
    void helper.terminate();
  }
}

function settle(node: FileNode, size: number, mtimeMs: number, ctimeMs: number, ino: number, mode: number, odd: FileNode[]): void {
  if ((mode & S_IFMT) !== S_IFREG) {
    odd.push(node);
    return;
  }
  node.mode = fileModeOf(mode);
  node.identity = { size, mtimeMs, ctimeMs, ino };
}

/** Resolves when the helper has done its share; rejects if it fails or exits first. */
function helperDone(helper: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    helper.once('message', () => resolve());
    helper.once('error', reject);
    helper.once('exit', (code) => reject(new Error(`lstat helper exited with code ${code}`)));
  });
}
