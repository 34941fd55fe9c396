import { chmodSync, mkdirSync, symlinkSync } from 'node:fs';
import { chmod, lstat, mkdir, rename, rm, rmdir, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { comparePathBytes, parentsOf } from '../../protocol/paths.js';
import { ConfinedDir } from './confined-path.js';
import { flushPaths, PathFlusher } from '../cache/durable-fs.js';
import { isMissing, tempSibling } from '../../protocol/runtime/durable-write.js';
import { IMPLIED_DIR_MODE, inBatches, linkObject, noteDirs } from './tree-steps.js';
/** Link and fsync calls in flight at once: keeps libuv's thread pool busy without flooding it. */
const FS_CONCURRENCY = 32;
/**
 * Builds the whole tree of a manifest at `dir` (which must not exist) from cache objects:
 * hardlinks for files, so the cost is one link per file and no data. Every directory is flushed,
 * so the tree is durable once this returns. Entries in canonical order (a manifest's) let each
 * directory be given its mode and flushed as soon as the walk leaves its subtree, so the fsyncs
 * (one per directory: 10 000 at 100 000 files) overlap the linking of the rest.
 */
export async function buildTree(dir, entries, cache, signal) {
    const dirs = new Map();
    let sorted = true;
    let previous;
    for (const entry of entries) {
        if (previous !== undefined && comparePathBytes(previous, entry.path) >= 0)
            sorted = false;
        previous = entry.path;
        noteDirs(dirs, entry);
    }
    const dirPaths = [...dirs.keys()].sort(comparePathBytes);
    mkdirSync(dir, { recursive: true });
    await inBatches(dirPaths, signal, (path) => mkdirSync(join(dir, path), { mode: 0o755 }));
    const flusher = new PathFlusher(FS_CONCURRENCY);
    const finished = new TreeDirs(dirs, (path) => {
        chmodSync(join(dir, path), dirs.get(path));
        flusher.add(join(dir, path));
    });
    try {
        await inBatches(entries, signal, (entry) => {
            if (sorted)
                finished.enter(entry);
            const path = join(dir, entry.path);
            if (entry.type === 'file')
                linkObject(cache.path(entry.sha256, entry.mode), path);
            else if (entry.type === 'symlink')
                symlinkSync(entry.target, path);
        });
        finished.finishAll(dirPaths);
        chmodSync(dir, IMPLIED_DIR_MODE);
        flusher.add(dir);
        await flusher.drain();
    }
    catch (err) {
        // No fsync outlives the build: the caller removes what it left.
        await flusher.settled();
        throw err;
    }
}
/**
 * The directories of a tree being built, finished (given their mode, flushed) children first:
 * a directory the walk of canonically ordered entries left can gain no entry, since what lies
 * below it sorts contiguously at "<name>/" (a sibling such as "<name>.txt" may fall between the
 * directory's own entry and its contents, so a directory opens at its first entry below).
 */
class TreeDirs {
    modes;
    finish;
    /** Directories whose subtree the walk is in, outermost first: the parents of the last entry. */
    open = [];
    finished = new Set();
    /** Directory entries by parent ('' for the root): an empty one finishes with its parent. */
    listed = new Map();
    constructor(modes, finish) {
        this.modes = modes;
        this.finish = finish;
    }
    /** The walk reached `entry`: the directories it left are finished. */
    enter(entry) {
        const open = this.open;
        while (open.length > 0 && !entry.path.startsWith(`${open[open.length - 1]}/`))
            this.close(open.pop());
        const parents = parentsOf(entry.path);
        for (let depth = open.length; depth < parents.length; depth++)
            open.push(parents[depth]);
        if (entry.type === 'dir') {
            const parent = parents.length > 0 ? parents[parents.length - 1] : '';
            const siblings = this.listed.get(parent);
            if (siblings)
                siblings.push(entry.path);
            else
                this.listed.set(parent, [entry.path]);
        }
    }
    /** Finishes every directory not finished yet, children first (all of them when the walk was not in order). */
    finishAll(sortedDirs) {
        while (this.open.length > 0)
            this.close(this.open.pop());
        this.closeListed('');
        for (let i = sortedDirs.length - 1; i >= 0; i--)
            this.close(sortedDirs[i]);
    }
    close(path) {
        if (this.finished.has(path) || !this.modes.has(path))
            return;
        // Empty directories listed in it first: a parent without owner write or search bits must never block a child's chmod.
        this.closeListed(path);
        this.finished.add(path);
        this.finish(path);
    }
    closeListed(parent) {
        const listed = this.listed.get(parent);
        if (!listed)
            return;
        this.listed.delete(parent);
        for (const path of listed)
            this.close(path);
    }
}
/**
 * Turns a complete copy of the base release (a spare clone) into the target release by applying
 * only the delta. Every name changes by rename or unlink, and each touched directory is flushed.
 * Cost: O(delta), whatever the size of the tree.
 */
export async function applyDelta(dir, delta, cache, signal, holds) {
    // The delta was checked against the base's manifest; the guard covers a tree changed on disk.
    const tree = new ConfinedDir(dir);
    const touched = new Set();
    const removed = [...delta.removed].sort(comparePathBytes).reverse();
    for (const rel of removed) {
        signal.throwIfAborted();
        const path = await tree.resolve(rel);
        await rm(path, { recursive: true, force: true });
        tree.forget(rel);
        touched.add(dirname(path));
    }
    const upserts = [...delta.added, ...delta.changed].sort((a, b) => comparePathBytes(a.path, b.path));
    const dirModes = [];
    for (const entry of upserts) {
        signal.throwIfAborted();
        const path = await tree.resolve(entry.path);
        await ensureParents(dir, entry.path, touched);
        const existing = await lstat(path).catch((err) => {
            if (isMissing(err))
                return undefined;
            throw err;
        });
        touched.add(dirname(path));
        if (entry.type === 'dir') {
            if (existing && !existing.isDirectory())
                await rm(path, { force: true });
            if (!existing?.isDirectory())
                await mkdir(path, { mode: 0o755 });
            dirModes.push([path, entry.mode]);
            continue;
        }
        if (existing?.isDirectory()) {
            await rm(path, { recursive: true, force: true });
            tree.forget(entry.path);
        }
        const temp = tempSibling(path);
        if (entry.type === 'file')
            linkObject(cache.path(entry.sha256, entry.mode), temp);
        else
            await symlink(entry.target, temp);
        await rename(temp, path);
    }
    for (const [path, mode] of dirModes.reverse())
        await chmod(path, mode);
    if (holds)
        await removeEmptiedDirs(tree, delta.removed, holds, touched);
    await flushPaths([...touched], FS_CONCURRENCY);
}
/**
 * Removes the directories a manifest leaves implicit once they lost their last entry: parents
 * of `removed` paths that the target, as `holds` tells, neither lists nor holds anything under.
 * Deepest first; a directory still holding something the target lacks fails the build.
 */
export async function removeEmptiedDirs(tree, removed, holds, touched) {
    const parents = new Set();
    for (const path of removed)
        for (const parent of parentsOf(path))
            parents.add(parent);
    for (const rel of [...parents].sort(comparePathBytes).reverse()) {
        if (holds(rel))
            continue;
        const path = await tree.resolve(rel);
        try {
            await rmdir(path);
        }
        catch (err) {
            if (isMissing(err))
                continue;
            throw err;
        }
        touched.delete(path);
        touched.add(dirname(path));
    }
}
/** Creates parent directories a manifest leaves implicit. */
async function ensureParents(root, path, touched) {
    const parent = dirname(path);
    if (parent === '.')
        return;
    const made = await mkdir(join(root, parent), { recursive: true, mode: IMPLIED_DIR_MODE });
    if (!made)
        return;
    for (let dir = join(root, parent);; dir = dirname(dir)) {
        touched.add(dir);
        if (dir === made)
            break;
    }
    touched.add(dirname(made));
}
//# sourceMappingURL=tree-builder.js.map