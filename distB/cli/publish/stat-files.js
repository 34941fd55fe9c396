import { lstatSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileModeOf } from '../../protocol/manifest.js';
import { FileIdentities, IDENTITY_STRIDE } from './file-identities.js';
import { CHUNK_CLAIMED_HERE, CHUNK_DONE_BY_HELPER, CHUNK_FILES, CHUNK_OPEN } from './lstat-chunks.js';
/**
 * From this many files a walk lstats them on two threads. lstat is a kernel call plus a Stats
 * object with four Dates: 100 000 of them are most of a big tree's re-publish (~300 ms of its
 * ~400 ms walk on an idle 2-core box). Below it, the helper's start (~30 ms of CPU) costs more
 * than it saves.
 */
export const HELPER_MIN_FILES = 30_000;
/** Chunks a helper can be handed (CHUNK_FILES each: 33 million files); later ones are lstat'ed here. */
const MAX_HELPER_CHUNKS = 1 << 16;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
/**
 * lstats the regular files a walk lists (file `files[i]` has slot i). On a big tree a helper
 * thread starts once the listing passes `helperMinFiles` and is handed each full chunk of
 * CHUNK_FILES files as soon as the listing has it, so its lstats overlap the rest of the listing
 * (they waited for the whole listing before: at 100 000 files, ~40% of the walk ran on one
 * thread). At the end this thread claims the chunks the helper has not begun, from the last one
 * back, and the helper is stopped whatever happens.
 */
export class FileStater {
    root;
    files;
    helperMinFiles;
    helper;
    /** Chunks handed to the helper so far. */
    handed = 0;
    /** `files` is the walk's list, which grows as the listing goes (see `listed`). */
    constructor(root, files, helperMinFiles) {
        this.root = root;
        this.files = files;
        this.helperMinFiles = helperMinFiles;
    }
    /** Starts the helper before the listing has found `helperMinFiles` files (the tree is known to be big). */
    startHelper() {
        this.helper ??= startHelper(this.root);
    }
    /** Call after each file added to `files`: hands the helper each chunk the listing completes. */
    listed() {
        const count = this.files.length;
        if (count % CHUNK_FILES !== 0 || (count < this.helperMinFiles && !this.helper))
            return;
        this.helper ??= startHelper(this.root);
        const chunks = Math.min(count / CHUNK_FILES, MAX_HELPER_CHUNKS);
        for (; this.handed < chunks; this.handed++) {
            const results = new SharedArrayBuffer(CHUNK_FILES * IDENTITY_STRIDE * 8);
            this.helper.results.push(new Float64Array(results));
            const from = this.handed * CHUNK_FILES;
            const paths = this.files.slice(from, from + CHUNK_FILES).map((node) => node.path).join('\0');
            this.helper.worker.postMessage({ chunk: this.handed, paths, results });
        }
    }
    /**
     * lstats what the helper has not (every file, without one) and sets each file's mode; the files
     * lstat no longer finds regular are returned in `odd`: the caller looks at them again, on its
     * own. `meanwhile` runs on this thread first, while the helper works.
     */
    async finish(signal, meanwhile) {
        const files = this.files;
        const helper = this.helper;
        // The helper sees this after every chunk handed to it: it answers once it has gone through them.
        helper?.worker.postMessage('end');
        meanwhile?.();
        const identities = FileIdentities.ofFiles(files.length);
        const chunks = Math.ceil(files.length / CHUNK_FILES);
        for (let chunk = chunks - 1; chunk >= 0; chunk--) {
            if (helper && chunk < this.handed && Atomics.compareExchange(helper.states, chunk, CHUNK_OPEN, CHUNK_CLAIMED_HERE) !== CHUNK_OPEN)
                continue;
            signal.throwIfAborted();
            const end = Math.min((chunk + 1) * CHUNK_FILES, files.length);
            for (let i = chunk * CHUNK_FILES; i < end; i++)
                lstatInto(identities, i, files[i].absolute);
        }
        const odd = [];
        if (helper) {
            // A helper that failed leaves its chunks to be looked at again (odd).
            await helper.done.catch(() => undefined);
            signal.throwIfAborted();
            for (let chunk = 0; chunk < this.handed; chunk++) {
                const state = Atomics.load(helper.states, chunk);
                if (state === CHUNK_CLAIMED_HERE)
                    continue;
                const from = chunk * CHUNK_FILES;
                if (state === CHUNK_DONE_BY_HELPER)
                    identities.values.set(helper.results[chunk], from * IDENTITY_STRIDE);
                else
                    for (let i = from; i < from + CHUNK_FILES; i++)
                        identities.set(i, 0, 0, 0, 0, -1);
            }
        }
        for (let i = 0; i < files.length; i++) {
            const mode = identities.mode(i);
            if (mode < 0 || (mode & S_IFMT) !== S_IFREG)
                odd.push(files[i]);
            else
                files[i].mode = fileModeOf(mode);
        }
        return { identities, odd };
    }
    /** Stops the helper, if one started. */
    stop() {
        void this.helper?.worker.terminate();
    }
}
function startHelper(root) {
    const states = new Int32Array(new SharedArrayBuffer(MAX_HELPER_CHUNKS * 4));
    // Loaded only for a big tree, synchronously (the listing hands chunks over as it goes): a
    // smaller tree's publish never starts a thread, and loading node:worker_threads cost ~3 ms of its start.
    const { Worker } = createRequire(import.meta.url)('node:worker_threads');
    const worker = new Worker(new URL('./lstat-worker.js', import.meta.url), { workerData: { root, states: states.buffer } });
    const done = new Promise((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`lstat helper exited with code ${code}`)));
    });
    // Awaited by finish; a helper that fails before then must not go unhandled.
    done.catch(() => undefined);
    return { worker, states, results: [], done };
}
function lstatInto(identities, slot, absolute) {
    const st = lstatSync(absolute, { throwIfNoEntry: false });
    if (st)
        identities.set(slot, st.size, st.mtimeMs, st.ctimeMs, st.ino, st.mode);
    else
        identities.set(slot, 0, 0, 0, 0, -1);
}
//# sourceMappingURL=stat-files.js.map