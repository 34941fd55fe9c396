import { CodesyncError } from './errors.js';
import { LIMITS } from './limits.js';
import { NODE_KIND, PathTree } from './path-tree.js';
import { assertEntryPath, comparePathBytes, symlinkTargetFormProblem } from './paths.js';
import { isSha256 } from './sha256.js';
import { SymlinkResolver } from './symlink-resolver.js';
/** Symlink permission bits mean nothing on Linux; one fixed value keeps digests stable. */
export const SYMLINK_MODE = 0o777;
/** A file's manifest mode from its mode on disk, as git keeps it: 0755 if any exec bit, else 0644 (docs/design.md#data-model). */
export function fileModeOf(diskMode) {
    return (diskMode & 0o111) !== 0 ? 0o755 : 0o644;
}
/** Permission bits only: setuid, setgid and sticky are refused. */
const PERMISSION_BITS = 0o777;
/**
 * Checks every rule of docs/api.md (manifest entries) and returns the entries sorted
 * canonically (by path bytes), with symlink modes normalised. Throws a CodesyncError naming the
 * first offending entry. Parent directories need not be listed; when absent they are created
 * with mode 0755. Symlinks are resolved against the tree itself (symlink-resolver.ts); with
 * `rules.externalSymlinks` links leaving the tree are kept as external links.
 */
export function validateManifest(input, rules = {}) {
    if (!Array.isArray(input))
        throw new CodesyncError('INVALID_REQUEST', 'manifest entries must be an array');
    if (input.length > LIMITS.maxEntries) {
        throw new CodesyncError('MANIFEST_TOO_LARGE', `manifest has ${input.length} entries, more than the limit of ${LIMITS.maxEntries}`);
    }
    const entries = input.map(validateEntry);
    const tree = new PathTree();
    for (const entry of entries)
        tree.add(entry.path, NODE_KIND[entry.type], entry.type === 'symlink' ? entry.target : undefined);
    new SymlinkResolver(tree, rules).checkAll();
    return entries.sort((a, b) => comparePathBytes(a.path, b.path));
}
/**
 * Checks one entry on its own: path, mode, size, sha256, and the form of a symlink target.
 * Where a symlink resolves depends on the other entries: only validateManifest decides it.
 */
export function validateEntry(raw) {
    if (typeof raw !== 'object' || raw === null)
        throw new CodesyncError('INVALID_ENTRY', 'manifest entry must be an object');
    const entry = raw;
    assertEntryPath(entry.path);
    const path = entry.path;
    const where = `entry ${JSON.stringify(path)}`;
    const mode = entry.mode;
    if (entry.type === 'symlink') {
        const problem = symlinkTargetFormProblem(entry.target);
        if (problem)
            throw new CodesyncError('INVALID_SYMLINK', `${where} ${problem}`);
        return { path, type: 'symlink', mode: SYMLINK_MODE, target: entry.target };
    }
    if (typeof mode !== 'number' || !Number.isInteger(mode) || mode < 0 || (mode & ~PERMISSION_BITS) !== 0) {
        throw new CodesyncError('INVALID_MODE', `${where} has mode ${formatModeValue(mode)}: only permission bits (0000-0777) are allowed, never setuid, setgid or sticky`);
    }
    if (entry.type === 'dir')
        return { path, type: 'dir', mode };
    if (entry.type !== 'file')
        throw new CodesyncError('INVALID_ENTRY', `${where} has type ${JSON.stringify(entry.type)}: want file, dir or symlink`);
    if (typeof entry.size !== 'number' || !Number.isSafeInteger(entry.size) || entry.size < 0) {
        throw new CodesyncError('INVALID_ENTRY', `${where} needs a non-negative integer size`);
    }
    if (!isSha256(entry.sha256))
        throw new CodesyncError('INVALID_ENTRY', `${where} needs a sha256 of 64 lowercase hex digits`);
    return { path, type: 'file', mode, size: entry.size, sha256: entry.sha256 };
}
export function formatMode(mode) {
    return mode.toString(8).padStart(4, '0');
}
function formatModeValue(mode) {
    return typeof mode === 'number' && Number.isInteger(mode) && mode >= 0 ? formatMode(mode) : JSON.stringify(mode);
}
/** Validates release meta: a string map of at most LIMITS.maxMetaBytes as JSON. */
export function validateMeta(raw) {
    if (raw === undefined || raw === null)
        return {};
    if (typeof raw !== 'object' || Array.isArray(raw))
        throw new CodesyncError('INVALID_REQUEST', 'meta must be an object of strings');
    const meta = {};
    for (const [key, value] of Object.entries(raw)) {
        if (typeof value !== 'string')
            throw new CodesyncError('INVALID_REQUEST', `meta.${key} must be a string`);
        meta[key] = value;
    }
    const bytes = Buffer.byteLength(JSON.stringify(meta));
    if (bytes > LIMITS.maxMetaBytes)
        throw new CodesyncError('META_TOO_LARGE', `meta is ${bytes} bytes as JSON, more than the limit of ${LIMITS.maxMetaBytes}`);
    return meta;
}
//# sourceMappingURL=manifest.js.map