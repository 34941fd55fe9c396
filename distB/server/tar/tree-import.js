import { CodesyncError } from '../../protocol/errors.js';
import { SYMLINK_MODE, validateManifest } from '../../protocol/manifest.js';
import { BlobBatch } from '../store/blob-batch.js';
import { readTar } from './tar-input.js';
/**
 * Turns a tar of a tree into a validated manifest, hashing files into the blob store on the fly.
 * Devices, fifos and hardlinks are refused. Blobs become visible only once the whole tar was
 * read and its manifest is valid under `rules` (the app's: ReleaseStore.manifestRules, default
 * none); on any failure none are kept.
 */
export async function importTree(source, gzip, blobs, rules = {}) {
    const entries = [];
    const batch = new BlobBatch(blobs);
    try {
        await readTar(source, gzip, async ({ header, body }) => {
            const path = entryPath(header.name);
            if (path === undefined) {
                body.resume();
                return;
            }
            switch (header.type) {
                case 'directory':
                    body.resume();
                    entries.push({ path, type: 'dir', mode: (header.mode ?? 0o755) & 0o777 });
                    return;
                case 'file':
                case 'contiguous-file': {
                    const stored = await batch.add(body, { size: header.size ?? 0 });
                    entries.push({ path, type: 'file', mode: (header.mode ?? 0o644) & 0o777, size: stored.size, sha256: stored.sha256 });
                    return;
                }
                case 'symlink':
                    body.resume();
                    entries.push({ path, type: 'symlink', mode: SYMLINK_MODE, target: header.linkname ?? '' });
                    return;
                default:
                    body.resume();
                    throw new CodesyncError('UNSUPPORTED_TAR_ENTRY', `tar entry ${JSON.stringify(header.name)} is a ${header.type}: only files, directories and symlinks can be published`);
            }
        });
        const manifest = validateManifest(entries, rules);
        await batch.commit();
        return manifest;
    }
    catch (err) {
        await batch.abort();
        throw err;
    }
}
/** Tar names as tools write them (`./a/`, `a/b/`) to manifest paths; undefined for the root. */
function entryPath(name) {
    let path = name;
    while (path.startsWith('./'))
        path = path.slice(2);
    while (path.endsWith('/') && path.length > 1)
        path = path.slice(0, -1);
    return path === '' || path === '.' ? undefined : path;
}
//# sourceMappingURL=tree-import.js.map