import { createHash } from 'node:crypto';
import { comparePathBytes } from './paths.js';
import { formatMode } from './manifest.js';
/**
 * The canonical line of one entry (docs/design.md#data-model):
 * `<type>\t<mode as 4 octal digits>\t<size or 0>\t<sha256 or symlink target or ->\t<path>\n`.
 */
export function canonicalLine(entry) {
    const size = entry.type === 'file' ? entry.size : 0;
    const content = entry.type === 'file' ? entry.sha256 : entry.type === 'symlink' ? entry.target : '-';
    return `${entry.type}\t${formatMode(entry.mode)}\t${size}\t${content}\t${entry.path}\n`;
}
/** `sha256:<hex>` over the canonical lines sorted by path bytes; independent of input order. */
export function manifestDigest(entries) {
    return digestOfSorted([...entries].sort((a, b) => comparePathBytes(a.path, b.path)));
}
/** `manifestDigest` for entries already in canonical order: no copy, no sort. */
export function digestOfSorted(entries) {
    const hash = createHash('sha256');
    for (const entry of entries)
        hash.update(canonicalLine(entry));
    return `sha256:${hash.digest('hex')}`;
}
//# sourceMappingURL=digest.js.map