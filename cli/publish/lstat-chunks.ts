/** How the walk's main thread and its lstat helper (lstat-worker.ts) share a big tree's files. */

/** Files in a chunk: few enough to share the end of the list evenly. */
export const CHUNK_FILES = 512;
/** A chunk's state: open, claimed by the main thread, claimed by the helper, lstat'ed by the helper. */
export const CHUNK_OPEN = 0;
export const CHUNK_CLAIMED_HERE = 1;
export const CHUNK_CLAIMED_BY_HELPER = 2;
export const CHUNK_DONE_BY_HELPER = 3;

/** What the helper starts with. */
export interface LstatHelperData {
  /** The tree's root; each path is below it. */
  root: string;
  /** Int32 CHUNK_* state per chunk, shared with the main thread. */
  states: SharedArrayBuffer;
}

/** One chunk of the walk's files, handed over as soon as the listing has it. */
export interface LstatChunk {
  chunk: number;
  /** The files' paths relative to `root`, joined by NUL (no path holds one). */
  paths: string;
  /** IDENTITY_STRIDE float64s per file, file-identities.ts's layout. */
  results: SharedArrayBuffer;
}
