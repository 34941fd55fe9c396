import { existsSync, linkSync } from 'node:fs';
import { parentsOf } from '../../protocol/paths.js';
/** Mode of parent directories a manifest does not list (docs/design.md#data-model). */
export const IMPLIED_DIR_MODE = 0o755;
/** Synchronous metadata calls between two turns of the event loop. */
const BATCH = 1000;
/** Notes in `dirs` the directories `entry` is or implies, with their modes. */
export function noteDirs(dirs, entry) {
    for (const parent of parentsOf(entry.path))
        if (!dirs.has(parent))
            dirs.set(parent, IMPLIED_DIR_MODE);
    if (entry.type === 'dir')
        dirs.set(entry.path, entry.mode);
}
/**
 * Runs `work` on each item synchronously, giving the event loop a turn every BATCH items: metadata
 * calls of a few microseconds each beat a thread-pool round trip per file, and the turns keep the
 * agent responsive (metrics, events) and let an abort stop the build.
 */
export async function inBatches(items, signal, work) {
    let done = 0;
    signal.throwIfAborted();
    for (const item of items) {
        work(item);
        if (++done % BATCH === 0)
            await nextTurn(signal);
    }
}
/** A turn of the event loop, then a check that the work was not aborted meanwhile. */
export async function nextTurn(signal) {
    await new Promise((resolve) => setImmediate(resolve));
    signal.throwIfAborted();
}
/** Link attempts when the object's name changed inode under the call. */
const LINK_TRIES = 5;
/**
 * Hardlinks `object` at `path`. Another sync (of another app) placing the same object renames
 * its copy over the name; a link that looked the name up just before finds an inode with no
 * name left and fails with ENOENT, while the name itself holds a whole object: tried again.
 */
export function linkObject(object, path) {
    for (let tries = 1;; tries++) {
        try {
            linkSync(object, path);
            return;
        }
        catch (err) {
            if (err.code !== 'ENOENT' || tries >= LINK_TRIES || !existsSync(object))
                throw err;
        }
    }
}
//# sourceMappingURL=tree-steps.js.map