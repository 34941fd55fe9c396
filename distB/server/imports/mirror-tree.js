import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CodesyncError } from '../../protocol/errors.js';
import { fileModeOf, SYMLINK_MODE } from '../../protocol/manifest.js';
import { assertEntryPath } from '../../protocol/paths.js';
/**
 * Walks the mirror without following symlinks into publishable nodes, with the rules of
 * `codesync publish DIR`: modes normalised like git (files 0755 if any exec bit else 0644, dirs
 * 0755), names that are not valid UTF-8 or not valid paths refused, symlink targets kept for
 * validateManifest to judge. rsync already skipped devices, fifos and sockets (and said so);
 * none can appear here, but one that did would be refused, never dropped silently.
 */
export async function walkMirror(root, options) {
    const tree = { nodes: [], excluded: 0, markerFound: options.marker === undefined };
    await walkDir(root, '', tree, options);
    return tree;
}
async function walkDir(absoluteDir, relativeDir, tree, options) {
    options.signal.throwIfAborted();
    const names = (await readdir(absoluteDir, { encoding: 'buffer' })).map((raw) => {
        const name = raw.toString('utf8');
        return { path: relativeDir ? `${relativeDir}/${name}` : name, absolute: join(absoluteDir, name), raw, utf8: Buffer.from(name, 'utf8').equals(raw) };
    });
    // One directory's lstats in flight together: sequential thread-pool round trips cost far more.
    // By the raw name: one that is not UTF-8 must still be found, to be excluded or refused.
    const stats = await Promise.all(names.map(({ raw }) => lstat(Buffer.concat([Buffer.from(`${absoluteDir}/`), raw]), { bigint: true })));
    for (const [index, { path, absolute, utf8 }] of names.entries()) {
        const st = stats[index];
        if (options.exclude.ignores(st.isDirectory() ? `${path}/` : path)) {
            tree.excluded++;
            continue;
        }
        if (!utf8)
            throw new CodesyncError('INVALID_PATH', `${JSON.stringify(path)}: file name is not valid UTF-8`);
        assertEntryPath(path);
        if (path === options.marker && st.isFile()) {
            tree.markerFound = true;
            continue;
        }
        const node = await nodeFor(absolute, path, st);
        tree.nodes.push(node);
        if (node.type === 'dir')
            await walkDir(absolute, path, tree, options);
    }
}
async function nodeFor(absolute, path, st) {
    if (st.isDirectory())
        return { path, type: 'dir', mode: 0o755 };
    if (st.isFile()) {
        return { path, type: 'file', mode: fileModeOf(Number(st.mode)), absolute, identity: { size: Number(st.size), mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs, ino: st.ino } };
    }
    if (st.isSymbolicLink()) {
        const raw = await readlink(absolute, { encoding: 'buffer' });
        const target = raw.toString('utf8');
        if (!Buffer.from(target, 'utf8').equals(raw))
            throw new CodesyncError('INVALID_SYMLINK', `symlink ${JSON.stringify(path)} has a target that is not valid UTF-8`);
        return { path, type: 'symlink', mode: SYMLINK_MODE, target };
    }
    throw new CodesyncError('UNSUPPORTED_FILE_TYPE', `${JSON.stringify(path)} is not a file, directory or symlink: a release cannot hold it`);
}
//# sourceMappingURL=mirror-tree.js.map