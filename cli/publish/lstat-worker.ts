/**
 * Helper thread of stat-files.ts: lstats its share of a big tree's files while the main thread
 * lstats the rest. Both take chunks of the same list from one shared counter, so neither waits
 * for the other; results go straight into shared memory, nothing is copied back.
 */
import { lstatSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

/** One job: every file of the walk, and where to write what lstat says of each. */
export interface LstatRequest {
  /** The tree's root; each path is below it. */
  root: string;
  /** The files' paths relative to `root`, joined by NUL (no path holds one). */
  paths: string;
  /** Int32 [0]: the next chunk to take, shared with the main thread. */
  next: SharedArrayBuffer;
  /** STAT_FIELDS float64s per file (see stat-files.ts). */
  results: SharedArrayBuffer;
  chunkFiles: number;
}

/** What each file's slot holds: size, mtime (ms), ctime (ms), inode, mode (-1: lstat failed). */
export const STAT_FIELDS = 5;

parentPort?.once('message', (request: LstatRequest) => {
  const paths = request.paths.split('\0');
  const next = new Int32Array(request.next);
  const results = new Float64Array(request.results);
  const chunks = Math.ceil(paths.length / request.chunkFiles);
  for (let chunk = Atomics.add(next, 0, 1); chunk < chunks; chunk = Atomics.add(next, 0, 1)) {
    const end = Math.min((chunk + 1) * request.chunkFiles, paths.length);
    for (let i = chunk * request.chunkFiles; i < end; i++) {
      const at = i * STAT_FIELDS;
      try {
        const st = lstatSync(`${request.root}/${paths[i]}`, { throwIfNoEntry: false });
        if (!st) {
          results[at + 4] = -1;
          continue;
        }
        results[at] = st.size;
        results[at + 1] = st.mtimeMs;
        results[at + 2] = st.ctimeMs;
        results[at + 3] = st.ino;
        results[at + 4] = st.mode;
      } catch {
        // The main thread lstats it again and reports the error as it would its own.
        results[at + 4] = -1;
      }
    }
  }
  parentPort?.postMessage('done');
});
