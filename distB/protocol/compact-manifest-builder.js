import { CompactManifest } from './compact-manifest.js';
import { canonicalLine } from './digest.js';
import { CodesyncError } from './errors.js';
import { LIMITS } from './limits.js';
import { validateEntry } from './manifest.js';
import { NODE_KIND, PathTree } from './path-tree.js';
import { SymlinkResolver } from './symlink-resolver.js';
/** Canonical lines encoded at a time: one string join and one encode per batch. */
const BATCH = 4096;
const SYMLINK_INITIAL = 0x73;
const TYPE_INITIALS = { 0x64: 'dir', 0x66: 'file', 0x73: 'symlink' };
/**
 * Manifest entries taken one at a time (elements of a request body as they are parsed), each
 * checked alone and kept only as its canonical line: no object per entry outlives its `add`. The
 * first entry that fails its check is remembered, not thrown, so validateToCompact reports
 * errors in validateManifest's order (the count first, then the first bad entry, then the tree).
 */
export class CanonicalLines {
    chunks = [];
    lineStarts = [];
    pathStarts = [];
    lines = [];
    paths = [];
    offset = 0;
    added = 0;
    /** The first entry's error, if any entry failed its check. */
    firstError;
    finished;
    get count() {
        return this.added;
    }
    add(raw) {
        this.added++;
        // Past the limit or past a bad entry, only counted: the publish fails anyway.
        if (this.added > LIMITS.maxEntries || this.firstError !== undefined)
            return;
        try {
            const entry = validateEntry(raw);
            this.lines.push(canonicalLine(entry));
            this.paths.push(entry.path);
        }
        catch (err) {
            this.firstError = err;
            return;
        }
        if (this.lines.length === BATCH)
            this.flush();
    }
    /**
     * The text and offsets of the lines added, in order. The batches are let go once joined: the
     * request body keeps this object for as long as the publish runs (11 MiB at 100 000 entries).
     */
    finish() {
        if (this.finished)
            return this.finished;
        this.flush();
        this.finished = { text: Buffer.concat(this.chunks, this.offset), lineStarts: Uint32Array.from([...this.lineStarts, this.offset]), pathStarts: Uint32Array.from(this.pathStarts) };
        this.chunks.length = 0;
        this.lineStarts.length = 0;
        this.pathStarts.length = 0;
        return this.finished;
    }
    flush() {
        const joined = this.lines.join('');
        const chunk = Buffer.from(joined);
        // ASCII (code trees nearly always are): string lengths are byte lengths.
        const ascii = chunk.length === joined.length;
        this.lines.forEach((line, j) => {
            this.lineStarts.push(this.offset);
            this.offset += ascii ? line.length : Buffer.byteLength(line);
            this.pathStarts.push(this.offset - 1 - (ascii ? this.paths[j].length : Buffer.byteLength(this.paths[j])));
        });
        this.chunks.push(chunk);
        this.lines = [];
        this.paths = [];
    }
}
/**
 * validateManifest for entries taken as CanonicalLines, straight into the compact form: every
 * check of validateManifest, in its order and with its codes — the count, each entry alone, then
 * the tree (duplicates, paths beneath files or links, where every link resolves), the paths read
 * back off the text. The result is sorted by path bytes, as validateManifest's.
 */
export function validateToCompact(entries, rules = {}) {
    if (entries.count > LIMITS.maxEntries)
        throw new CodesyncError('MANIFEST_TOO_LARGE', `manifest has ${entries.count} entries, more than the limit of ${LIMITS.maxEntries}`);
    if (entries.firstError !== undefined)
        throw entries.firstError;
    const { text, lineStarts, pathStarts } = entries.finish();
    const inOrder = strictlyInOrder(text, lineStarts, pathStarts);
    const manifest = inOrder ? CompactManifest.fromCanonicalText(text, lineStarts, pathStarts) : undefined;
    checkTree(text, lineStarts, pathStarts, manifest, rules);
    return manifest ?? sorted(text, lineStarts, pathStarts);
}
/**
 * validateManifest's rules of the whole tree (duplicates, paths beneath files or links, where
 * every link resolves) on a manifest already in the compact form, its entries each valid alone:
 * what a delta that changes a directory or a link makes of its base, checked without an object
 * per entry.
 */
export function checkCompactTree(manifest, rules = {}) {
    const { lineStarts, pathStarts } = manifest.offsets();
    checkTree(manifest.text, lineStarts, pathStarts, strictlyInOrder(manifest.text, lineStarts, pathStarts) ? manifest : undefined, rules);
}
/** The tree's rules on canonical lines; `inOrder` is them as a manifest when they are strictly sorted. */
function checkTree(text, lineStarts, pathStarts, inOrder, rules) {
    // Sorted without a duplicate and without a link to resolve (clients send code trees so), the
    // tree's rules are checked by lookups in the result: no tree of every path is built (a map
    // entry per path, ~17 MiB at 100 000 entries, while the body and its text are held too).
    if (inOrder && !holdsSymlink(text, lineStarts)) {
        checkSortedPlaces(inOrder);
        return;
    }
    const tree = new PathTree();
    for (let i = 0; i < pathStarts.length; i++) {
        const start = lineStarts[i];
        const type = TYPE_INITIALS[text[start]];
        const path = text.toString('utf8', pathStarts[i], lineStarts[i + 1] - 1);
        tree.add(path, NODE_KIND[type], type === 'symlink' ? symlinkTarget(text, start, pathStarts[i]) : undefined);
    }
    new SymlinkResolver(tree, rules).checkAll();
}
/** True when each path sorts after the one before it by bytes: sorted canonically, no duplicate. */
function strictlyInOrder(text, lineStarts, pathStarts) {
    for (let i = 1; i < pathStarts.length; i++) {
        if (text.compare(text, pathStarts[i], lineStarts[i + 1] - 1, pathStarts[i - 1], lineStarts[i] - 1) >= 0)
            return false;
    }
    return true;
}
function holdsSymlink(text, lineStarts) {
    for (let i = 0; i < lineStarts.length - 1; i++)
        if (text[lineStarts[i]] === SYMLINK_INITIAL)
            return true;
    return false;
}
/**
 * PathTree's rule on a manifest sorted without duplicates: nothing lies beneath a file or a
 * symlink. An entry's nearest listed ancestor decides: a directory was itself checked when it
 * came (it sorts before what lies beneath it); a file or a link is the conflict PathTree names,
 * with its message. Entries of the directory last checked need no lookup.
 */
function checkSortedPlaces(manifest) {
    let checkedParent = '';
    for (let i = 0; i < manifest.length; i++) {
        const path = manifest.path(i);
        const slash = path.lastIndexOf('/');
        if (slash < 0)
            continue;
        const parent = path.slice(0, slash);
        if (parent === checkedParent)
            continue;
        for (let end = slash; end > 0; end = path.lastIndexOf('/', end - 1)) {
            const index = manifest.indexOf(path.slice(0, end));
            if (index < 0)
                continue;
            const kind = manifest.entry(index).type;
            if (kind === 'dir')
                break;
            throw new CodesyncError('PATH_CONFLICT', `path ${JSON.stringify(path)} lies under ${JSON.stringify(path.slice(0, end))}, which is a ${kind}`);
        }
        checkedParent = parent;
    }
}
/** A symlink line's target: between the third tab and the tab before the path. */
function symlinkTarget(text, start, pathStart) {
    let tab = start;
    for (let seen = 0; seen < 3; seen++)
        tab = text.indexOf(0x09, tab) + 1;
    return text.toString('utf8', tab, pathStart - 1);
}
/** The lines copied in canonical order (they came out of order). */
function sorted(text, lineStarts, pathStarts) {
    const count = pathStarts.length;
    const comparePaths = (a, b) => text.compare(text, pathStarts[b], lineStarts[b + 1] - 1, pathStarts[a], lineStarts[a + 1] - 1);
    const order = Array.from({ length: count }, (_, i) => i).sort(comparePaths);
    const out = Buffer.allocUnsafe(text.length);
    const outLines = new Uint32Array(count + 1);
    const outPaths = new Uint32Array(count);
    let offset = 0;
    order.forEach((from, i) => {
        outLines[i] = offset;
        outPaths[i] = offset + pathStarts[from] - lineStarts[from];
        offset += text.copy(out, offset, lineStarts[from], lineStarts[from + 1]);
    });
    outLines[count] = offset;
    return CompactManifest.fromCanonicalText(out, outLines, outPaths);
}
//# sourceMappingURL=compact-manifest-builder.js.map