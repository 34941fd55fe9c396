import { lstatSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { fileModeOf } from '../../protocol/manifest.js';
import { FileIdentities, IDENTITY_STRIDE } from './file-identities.js';
import type { LstatRequest } from './lstat-worker.js';
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

/** What statFiles found: each file's identity at its slot, and the files to look at again. */
export interface StatedFiles {
  identities: FileIdentities;
  /** Files lstat no longer finds a regular file (replaced, removed, unreadable since they were listed). */
  odd: FileNode[];
}

/**
 * lstats every file the listing found (file `files[i]` has slot i) into one column of identities
 * and sets each one's mode. The files lstat no longer finds regular are returned in `odd`: the
 * caller looks at them again, on its own. With a `helper`, it takes chunks of the list from the
 * same counter as this thread, writes into the same shared column, and is stopped at the end,
 * whatever happens; `meanwhile` runs on this thread once the helper has its work, before this
 * thread takes a share.
 */
export async function statFiles(root: string, files: readonly FileNode[], helper: Worker | undefined, signal: AbortSignal, meanwhile?: () => void): Promise<StatedFiles> {
  if (!helper) {
    meanwhile?.();
    const identities = FileIdentities.ofFiles(files.length);
    for (let i = 0; i < files.length; i++) lstatInto(identities, i, files[i]!.absolute);
    return { identities, odd: settle(files, identities, 0, files.length, []) };
  }
  try {
    const next = new SharedArrayBuffer(4);
    const results = new SharedArrayBuffer(files.length * IDENTITY_STRIDE * 8);
    const identities = new FileIdentities(new Float64Array(results));
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
      for (let i = chunk * CHUNK_FILES; i < end; i++) lstatInto(identities, i, files[i]!.absolute);
    }
    // A helper that failed leaves its chunks to be done here again.
    const helped = await done.then(() => true, () => false);
    signal.throwIfAborted();
    const odd: FileNode[] = [];
    for (let chunk = 0; chunk < chunks; chunk++) {
      const end = Math.min((chunk + 1) * CHUNK_FILES, files.length);
      if (mine[chunk] || helped) settle(files, identities, chunk * CHUNK_FILES, end, odd);
      else for (let i = chunk * CHUNK_FILES; i < end; i++) odd.push(files[i]!);
    }
    return { identities, odd };
  } finally {
    void helper.terminate();
  }
}

function lstatInto(identities: FileIdentities, slot: number, absolute: string): void {
  const st = lstatSync(absolute, { throwIfNoEntry: false });
  if (st) identities.set(slot, st.size, st.mtimeMs, st.ctimeMs, st.ino, st.mode);
  else identities.set(slot, 0, 0, 0, 0, -1);
}

/** Sets the mode of files [from, to) from their lstat; pushes those not (or no longer) regular to `odd`. */
function settle(files: readonly FileNode[], identities: FileIdentities, from: number, to: number, odd: FileNode[]): FileNode[] {
  for (let i = from; i < to; i++) {
    const mode = identities.mode(i);
    if (mode < 0 || (mode & S_IFMT) !== S_IFREG) odd.push(files[i]!);
    else files[i]!.mode = fileModeOf(mode);
  }
  return odd;
}

/** Resolves when the helper has done its share; rejects if it fails or exits first. */
function helperDone(helper: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    helper.once('message', () => resolve());
    helper.once('error', reject);
    helper.once('exit', (code) => reject(new Error(`lstat helper exited with code ${code}`)));
  });
}
