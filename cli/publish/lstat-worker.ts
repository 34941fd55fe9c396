/**
 * Helper thread of stat-files.ts: lstats its share of a big tree's files while the main thread
 * lstats the rest. Both take chunks of the same list from one shared counter, so neither waits
 * for the other; results go straight into shared memory, nothing is copied back.
 */
import { lstatSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { FileIdentities } from './file-identities.js';

/** One job: every file of the walk, and where to write what lstat says of each. */
export interface LstatRequest {
  /** The tree's root; each path is below it. */
  root: string;
  /** The files' paths relative to `root`, joined by NUL (no path holds one). */
  paths: string;
  /** Int32 [0]: the next chunk to take, shared with the main thread. */
  next: SharedArrayBuffer;
  /** IDENTITY_STRIDE float64s per file, file-identities.ts's layout. */
  results: SharedArrayBuffer;
  chunkFiles: number;
}

parentPort?.once('message', (request: LstatRequest) => {
  const paths = request.paths.split('\0');
  const next = new Int32Array(request.next);
  const identities = new FileIdentities(new Float64Array(request.results));
  const chunks = Math.ceil(paths.length / request.chunkFiles);
  for (let chunk = Atomics.add(next, 0, 1); chunk < chunks; chunk = Atomics.add(next, 0, 1)) {
    const end = Math.min((chunk + 1) * request.chunkFiles, paths.length);
    for (let i = chunk * request.chunkFiles; i < end; i++) {
      try {
        const st = lstatSync(`${request.root}/${paths[i]}`, { throwIfNoEntry: false });
        if (st) identities.set(i, st.size, st.mtimeMs, st.ctimeMs, st.ino, st.mode);
        else identities.set(i, 0, 0, 0, 0, -1);
      } catch {
        // The main thread lstats it again and reports the error as it would its own.
        identities.set(i, 0, 0, 0, 0, -1);
      }
    }
  }
  parentPort?.postMessage('done');
});
