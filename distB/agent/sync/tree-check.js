import { setMaxListeners } from 'node:events';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isCodesyncError } from '../../protocol/errors.js';
import { hashFile } from '../../protocol/sha256.js';
import { mapLimit } from '../../protocol/runtime/map-limit.js';
import { ConfinedDir } from './confined-path.js';
import { isMissing } from '../../protocol/runtime/durable-write.js';
const CHECK_CONCURRENCY = 16;
/**
 * Compares a tree on disk with its manifest. The quick check costs one lstat per entry; the full
 * one also hashes every file and looks for paths the manifest does not list. Entries are decoded
 * one at a time from the compact form and paths on disk looked up in it: no list or set of the
 * whole tree, which at 100 000 entries would cost the agent tens of MB at each check.
 */
export async function checkTree(dir, manifest, options) {
    const problems = [];
    const tree = new ConfinedDir(dir);
    // Every file read in flight listens for the abort: one signal of the check's own, sized for
    // that fan-out, instead of the caller's (whose 10-listener warning it would trip).
    const fanOut = new AbortController();
    setMaxListeners(CHECK_CONCURRENCY + 1, fanOut.signal);
    const forward = () => fanOut.abort(options.signal.reason);
    options.signal.addEventListener('abort', forward, { once: true });
    try {
        const indexes = Array.from({ length: manifest.length }, (_, index) => index);
        await mapLimit(indexes, CHECK_CONCURRENCY, async (index) => {
            const entry = manifest.entry(index);
            const kind = await entryProblem(tree, entry, { ...options, signal: fanOut.signal });
            if (kind)
                problems.push({ path: entry.path, kind, entry });
        }, options.signal);
    }
    finally {
        options.signal.removeEventListener('abort', forward);
    }
    if (options.hash) {
        // Listed, or a directory above listed entries (parents are implied).
        await walkTree(dir, options.signal, (path) => {
            if (!manifest.holds(path))
                problems.push({ path, kind: 'extra' });
        });
    }
    return problems;
}
/**
 * Visits every path under `dir` (relative, `/`-separated), directories before their contents;
 * descends only into real directories, never through a symlink, so a link to `/` in a tree
 * costs one entry, not a walk of the node's filesystem.
 */
export async function walkTree(dir, signal, visit) {
    const pending = [''];
    while (pending.length > 0) {
        signal.throwIfAborted();
        const rel = pending.pop();
        for (const dirent of await readdir(rel ? join(dir, rel) : dir, { withFileTypes: true })) {
            const path = rel ? `${rel}/${dirent.name}` : dirent.name;
            visit(path);
            if (dirent.isDirectory())
                pending.push(path);
        }
    }
}
async function entryProblem(tree, entry, options) {
    let stats;
    let path;
    try {
        // A parent replaced by a symlink is drift like any other: reported, never followed.
        path = await tree.resolve(entry.path);
        stats = await lstat(path);
    }
    catch (err) {
        if (isCodesyncError(err, 'UNSAFE_PATH'))
            return 'type';
        if (isMissing(err) || err.code === 'ENOTDIR')
            return 'missing';
        throw err;
    }
    switch (entry.type) {
        case 'dir':
            if (!stats.isDirectory())
                return 'type';
            return (stats.mode & 0o777) === entry.mode ? undefined : 'mode';
        case 'symlink':
            if (!stats.isSymbolicLink())
                return 'type';
            return (await readlink(path)) === entry.target ? undefined : 'target';
        case 'file':
            if (!stats.isFile())
                return 'type';
            if ((stats.mode & 0o777) !== entry.mode)
                return 'mode';
            if (stats.size !== entry.size)
                return 'size';
            if (options.hash && (await hashFile(path, options.signal)).sha256 !== entry.sha256)
                return 'content';
            return undefined;
    }
}
//# sourceMappingURL=tree-check.js.map