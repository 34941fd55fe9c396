/** How the walk's main thread and its lstat helper (lstat-worker.ts) share a big tree's files. */
/** Files in a chunk: few enough to share the end of the list evenly. */
export const CHUNK_FILES = 512;
/** A chunk's state: open, claimed by the main thread, claimed by the helper, lstat'ed by the helper. */
export const CHUNK_OPEN = 0;
export const CHUNK_CLAIMED_HERE = 1;
export const CHUNK_CLAIMED_BY_HELPER = 2;
export const CHUNK_DONE_BY_HELPER = 3;
//# sourceMappingURL=lstat-chunks.js.map