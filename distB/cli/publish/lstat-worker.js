/**
 * Helper thread of stat-files.ts: lstats chunks of a big tree's files as the walk lists them,
 * while the main thread goes on listing. A chunk is lstat'ed by whichever thread claims it first
 * (the main thread claims the ones left at the end, from the last back); results go straight into
 * shared memory, nothing is copied back.
 */
import { lstatSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { FileIdentities } from './file-identities.js';
import { CHUNK_CLAIMED_BY_HELPER, CHUNK_DONE_BY_HELPER, CHUNK_OPEN } from './lstat-chunks.js';
const { root, states: statesBuffer } = workerData;
const states = new Int32Array(statesBuffer);
// Chunks come in order, then 'end' (after the last one): answered once every chunk before it is settled.
parentPort?.on('message', (message) => {
    if (message === 'end') {
        parentPort?.postMessage('done');
        return;
    }
    if (Atomics.compareExchange(states, message.chunk, CHUNK_OPEN, CHUNK_CLAIMED_BY_HELPER) !== CHUNK_OPEN)
        return;
    const paths = message.paths.split('\0');
    const identities = new FileIdentities(new Float64Array(message.results));
    for (let i = 0; i < paths.length; i++) {
        try {
            const st = lstatSync(`${root}/${paths[i]}`, { throwIfNoEntry: false });
            if (st)
                identities.set(i, st.size, st.mtimeMs, st.ctimeMs, st.ino, st.mode);
            else
                identities.set(i, 0, 0, 0, 0, -1);
        }
        catch {
            // The main thread lstats it again and reports the error as it would its own.
            identities.set(i, 0, 0, 0, 0, -1);
        }
    }
    Atomics.store(states, message.chunk, CHUNK_DONE_BY_HELPER);
});
//# sourceMappingURL=lstat-worker.js.map