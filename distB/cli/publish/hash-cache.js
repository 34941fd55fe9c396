import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
const FORMAT_VERSION = 3;
/**
 * A file whose ctime lies this close to the moment it was hashed may still change within the same
 * timestamp tick without its stat changing (git's "racily clean" problem); such files are not
 * trusted from the cache, so the next publish hashes them again. 2 s covers filesystems with 1 s
 * or 2 s stamps.
 */
export const DEFAULT_RACY_WINDOW_MS = 2000;
/** Per entry: size, mtime (ms), ctime (ms), inode, as lstat's doubles (file-identities.ts). */
const IDENTITY_FIELDS = 4;
/** Bytes of each raw sha256 in `cachedShas`. */
export const SHA_BYTES = 32;
/** Flag of an entry hashed within the racy window: its sha256 is remembered but never vouched for. */
const RACY = 1;
/** Place held in the save order by a file looked up but not yet hashed. */
const PENDING = Symbol('pending');
/** A byte (read as latin1) that is not ASCII: the path text needs a UTF-8 decode per path. */
const NON_ASCII = /[\x80-\xff]/;
/**
 * Bytes read for a header by `peekFiles`: it holds the root's path (PATH_MAX is 4096 bytes); a
 * longer header (a root of characters JSON escapes) is not peeked, the walk then starts its helper as before.
 */
const HEADER_PEEK_BYTES = 8192;
/** Parts per writev call: within any system's IOV_MAX (1024 on Linux). */
const WRITEV_PARTS = 1024;
/** Previous entries looked at past the cursor before falling back to a map of them all. */
const LOOK_AHEAD = 4;
/**
 * Remembers the sha256 of each file of one tree keyed on path + size + mtime + ctime + inode, so
 * a re-publish hashes only what changed. The file is a JSON header line and then fixed-width
 * binary columns (identities, flags, raw sha256s, path offsets, path bytes): a 100 000-file tree
 * loads without parsing a JSON object per file and saves in one write. Saved atomically (temp
 * file + rename), and only when something changed; a missing, stale or corrupt cache file only
 * means hashing everything again.
 */
export class HashCache {
    file;
    root;
    previous;
    /** How many lookups found a usable sha256 this run. */
    hits = 0;
    /**
     * The entries to save, in the order they were looked up (the walk's), each path once: a kept
     * entry is its index in the previous file, a miss is PENDING until `record` fills its place.
     * So the file stays in walk order, and the next run finds each path where its cursor points.
     * Arrays, not a map by path: a 100 000-file run would hash every path into a map only to read
     * it back in order.
     */
    nextPaths = [];
    next = [];
    /** Where a path looked up and missed waits in `next` for its `record`. */
    pendingAt = new Map();
    racyWindowMs;
    /** Path → index in the previous file, built only if a lookup finds a path out of order. */
    index;
    /** Where the previous file's next path in walk order most likely is. */
    cursor = 0;
    /** Paths the previous file holds that missed (changed or racy): their index there, for `previousSha`. */
    stale = new Map();
    recorded = 0;
    constructor(file, root, previous, options) {
        this.file = file;
        this.root = root;
        this.previous = previous;
        this.racyWindowMs = options.racyWindowMs ?? DEFAULT_RACY_WINDOW_MS;
    }
    /**
     * Loads the cache of `root` (a realpath) from `file`; starts empty when it cannot be used.
     * Synchronous: one read of a few MB costs less than readFile's 512 KiB trips through the thread
     * pool, and a big tree's publish loads it while a helper thread lstats (walk-tree.ts).
     */
    static load(file, root, options = {}) {
        let columns;
        try {
            columns = decode(readFileSync(file), root);
        }
        catch {
            // No cache yet, or one we cannot read: hash everything.
        }
        return new HashCache(file, root, columns ?? { paths: [], pathText: Buffer.alloc(0), pathEnds: new Uint32Array(0), identities: new Float64Array(0), flags: new Uint8Array(0), shas: Buffer.alloc(0) }, options);
    }
    /**
     * How many files the cache of `root` in `file` holds (the last run's count), read off its header
     * alone; undefined without a usable one. What tells a walk early that a tree is big.
     */
    static peekFiles(file, root) {
        let fd;
        try {
            fd = openSync(file, 'r');
            const head = Buffer.allocUnsafe(HEADER_PEEK_BYTES);
            const read = readSync(fd, head, 0, head.length, 0);
            const newline = head.subarray(0, read).indexOf(0x0a);
            if (newline < 0)
                return undefined;
            const header = JSON.parse(head.toString('utf8', 0, newline));
            return header.version === FORMAT_VERSION && header.root === root && Number.isSafeInteger(header.entries) ? header.entries : undefined;
        }
        catch {
            return undefined;
        }
        finally {
            if (fd !== undefined)
                closeSync(fd);
        }
    }
    /**
     * Where the cached sha256 of `path` lies in `cachedShas` (see `shaAt`) if its identity is exactly
     * what it was when hashed, else -1; each path is looked up once a run. An index, not a hex
     * string: a 100 000-file re-publish made a string per file only for the manifest to copy it.
     */
    lookup(path, identities, slot) {
        const i = this.indexOf(path);
        this.nextPaths.push(path);
        if (i === undefined || this.previous.flags[i] === RACY || !this.sameIdentity(i, identities, slot)) {
            this.pendingAt.set(path, this.next.length);
            this.next.push(PENDING);
            if (i !== undefined)
                this.stale.set(path, i);
            return -1;
        }
        this.next.push(i);
        this.hits++;
        return i;
    }
    /** The raw sha256s of the previous file, SHA_BYTES each, in the order `lookup`'s indexes count. */
    get cachedShas() {
        return this.previous.shas;
    }
    /** The sha256 (hex) at an index `lookup` gave. */
    shaAt(index) {
        return this.sha(index);
    }
    /** The sha256 the previous run recorded for `path`, whatever its identity was then. */
    previousSha(path) {
        const i = this.stale.get(path) ?? this.indexed().get(path);
        return i === undefined ? undefined : this.sha(i);
    }
    /**
     * Records a fresh hash of the file whose identity is at `slot` of `identities`; `hashedAtMs` is
     * wall-clock time (Date.now()) taken before the file was read.
     */
    record(path, identities, slot, sha256, hashedAtMs) {
        this.recorded++;
        const entry = { identities, slot, sha256, racy: hashedAtMs - identities.ctimeMs(slot) < this.racyWindowMs };
        const at = this.pendingAt.get(path);
        if (at !== undefined) {
            this.next[at] = entry;
            this.pendingAt.delete(path);
        }
        else {
            this.nextPaths.push(path);
            this.next.push(entry);
        }
    }
    /**
     * Writes the entries seen this run (so deleted files drop out) with write-temp-then-rename;
     * skipped when every file was a hit and none went away, the common case of a no-op publish.
     */
    async save() {
        if (this.recorded === 0 && this.next.length === this.previous.paths.length)
            return;
        const temp = `${this.file}.${process.pid}.tmp`;
        await mkdir(dirname(this.file), { recursive: true });
        try {
            // Its parts as they are, not concatenated first (a copy of several MB at 100 000 files).
            const handle = await open(temp, 'w');
            try {
                await writeAll(handle, this.encode());
            }
            finally {
                await handle.close();
            }
            await rename(temp, this.file);
        }
        catch (err) {
            await rm(temp, { force: true });
            throw err;
        }
    }
    /**
     * The previous file's index of `path`. Lookups come in walk order and the file was saved in
     * it, so the path is almost always at the cursor (or a step or two past it, after a deletion):
     * a 100 000-entry map is built only when it is not.
     */
    indexOf(path) {
        const paths = this.previous.paths;
        const end = Math.min(this.cursor + LOOK_AHEAD, paths.length);
        for (let i = this.cursor; i < end; i++) {
            if (paths[i] === path) {
                this.cursor = i + 1;
                return i;
            }
        }
        const i = this.indexed().get(path);
        if (i !== undefined)
            this.cursor = i + 1;
        return i;
    }
    indexed() {
        if (!this.index) {
            this.index = new Map();
            this.previous.paths.forEach((path, i) => this.index.set(path, i));
        }
        return this.index;
    }
    sha(i) {
        return this.previous.shas.toString('hex', i * SHA_BYTES, (i + 1) * SHA_BYTES);
    }
    sameIdentity(i, identities, slot) {
        const at = i * IDENTITY_FIELDS;
        const ids = this.previous.identities;
        return ids[at] === identities.size(slot) && ids[at + 1] === identities.mtimeMs(slot) && ids[at + 2] === identities.ctimeMs(slot) && ids[at + 3] === identities.ino(slot);
    }
    /** The file's parts, in order: header line, identities, flags, sha256s, path end offsets, path bytes. */
    encode() {
        let count = 0;
        for (const entry of this.next)
            if (entry !== PENDING)
                count++;
        const identities = new Float64Array(count * IDENTITY_FIELDS);
        const flags = new Uint8Array(count);
        const shas = Buffer.allocUnsafe(count * SHA_BYTES);
        const pathEnds = new Uint32Array(count);
        const pathParts = [];
        let i = 0;
        let pathBytes = 0;
        // Entries kept from the previous file mostly come in its order: they are copied a run at a
        // time, their path bytes too (a copy call per entry, then encoding every path again, were
        // most of a 100 000-entry save).
        const previousEnds = this.previous.pathEnds;
        let runFrom = 0;
        let runTo = 0;
        let runAt = 0;
        const flushRun = () => {
            if (runTo === runFrom)
                return;
            identities.set(this.previous.identities.subarray(runFrom * IDENTITY_FIELDS, runTo * IDENTITY_FIELDS), runAt * IDENTITY_FIELDS);
            flags.set(this.previous.flags.subarray(runFrom, runTo), runAt);
            this.previous.shas.copy(shas, runAt * SHA_BYTES, runFrom * SHA_BYTES, runTo * SHA_BYTES);
            const textFrom = runFrom === 0 ? 0 : previousEnds[runFrom - 1];
            pathParts.push(this.previous.pathText.subarray(textFrom, previousEnds[runTo - 1]));
            // Copied as they were; shifted only when the paths before the run changed in length (a
            // loop over a 100 000-entry run, run once a process, stays in the interpreter: ~20 ms).
            pathEnds.set(previousEnds.subarray(runFrom, runTo), runAt);
            const shift = pathBytes - textFrom;
            if (shift !== 0)
                for (let k = runAt; k < runAt + runTo - runFrom; k++)
                    pathEnds[k] = pathEnds[k] + shift;
            pathBytes += previousEnds[runTo - 1] - textFrom;
            runFrom = runTo;
        };
        for (let at = 0; at < this.next.length; at++) {
            const entry = this.next[at];
            if (entry === PENDING)
                continue;
            if (typeof entry === 'number') {
                if (entry !== runTo || runTo === runFrom) {
                    flushRun();
                    runFrom = entry;
                    runTo = entry;
                    runAt = i;
                }
                runTo++;
                i++;
            }
            else {
                flushRun();
                const { identities: walked, slot } = entry;
                const base = i * IDENTITY_FIELDS;
                identities[base] = walked.size(slot);
                identities[base + 1] = walked.mtimeMs(slot);
                identities[base + 2] = walked.ctimeMs(slot);
                identities[base + 3] = walked.ino(slot);
                flags[i] = entry.racy ? RACY : 0;
                shas.write(entry.sha256, i * SHA_BYTES, SHA_BYTES, 'hex');
                const pathPart = Buffer.from(this.nextPaths[at]);
                pathParts.push(pathPart);
                pathBytes += pathPart.length;
                pathEnds[i++] = pathBytes;
            }
        }
        flushRun();
        const header = Buffer.from(`${JSON.stringify({ version: FORMAT_VERSION, root: this.root, entries: count, pathBytes })}\n`);
        return [header, bytesOf(identities), Buffer.from(flags.buffer, flags.byteOffset, flags.byteLength), shas, bytesOf(pathEnds), ...pathParts];
    }
}
/** The columns of a cache file of `root`; throws on a file of another tree, format or length. */
function decode(data, root) {
    const newline = data.indexOf(0x0a);
    const header = JSON.parse(data.toString('utf8', 0, newline));
    const { entries: count, pathBytes } = header;
    if (header.version !== FORMAT_VERSION || header.root !== root || !Number.isSafeInteger(count) || !Number.isSafeInteger(pathBytes))
        throw new Error('not a cache of this tree');
    const n = count;
    let at = newline + 1;
    // Copied out of the file's buffer into buffers of their own (Buffer.alloc never shares a
    // pool): typed arrays need aligned offsets, the file's are not.
    const take = (bytes) => {
        if (at + bytes > data.length)
            throw new Error('cache file cut short');
        const part = Buffer.alloc(bytes);
        data.copy(part, 0, at, at + bytes);
        at += bytes;
        return part;
    };
    const identityBytes = take(n * IDENTITY_FIELDS * 8);
    const flags = new Uint8Array(take(n));
    const shas = take(n * SHA_BYTES);
    const endBytes = take(n * 4);
    const text = take(pathBytes);
    if (at !== data.length)
        throw new Error('cache file has trailing bytes');
    const identities = new Float64Array(identityBytes.buffer, identityBytes.byteOffset, n * IDENTITY_FIELDS);
    const pathEnds = new Uint32Array(endBytes.buffer, endBytes.byteOffset, n);
    const paths = [];
    // All ASCII (the usual tree): byte offsets are string offsets, and each path is a slice of one
    // decoded string rather than a decode call of its own (100 000 of them were most of a load).
    const whole = text.toString('latin1');
    const ascii = !NON_ASCII.test(whole);
    let start = 0;
    for (const end of pathEnds) {
        if (end < start || end > text.length)
            throw new Error('cache file has bad path offsets');
        paths.push(ascii ? whole.slice(start, end) : text.toString('utf8', start, end));
        start = end;
    }
    return { paths, pathText: text, pathEnds, identities, flags, shas };
}
/** Writes every part, however many writev takes (it may write fewer bytes than asked, and takes at most IOV_MAX parts). */
async function writeAll(handle, parts) {
    let rest = parts.filter((part) => part.length > 0);
    while (rest.length > 0) {
        const batch = rest.slice(0, WRITEV_PARTS);
        let { bytesWritten } = await handle.writev(batch);
        let done = 0;
        while (done < batch.length && bytesWritten >= batch[done].length)
            bytesWritten -= batch[done++].length;
        rest = rest.slice(done);
        if (bytesWritten > 0)
            rest[0] = rest[0].subarray(bytesWritten);
    }
}
function bytesOf(array) {
    return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}
/**
 * Default cache file of a tree: `$XDG_CACHE_HOME/codesync/publish/<hash of realpath>.cache`,
 * `~/.cache/codesync/...` without XDG_CACHE_HOME.
 */
export function defaultCacheFile(root, env = process.env) {
    const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
    const key = createHash('sha256').update(root).digest('hex').slice(0, 32);
    return join(base, 'codesync', 'publish', `${key}.cache`);
}
//# sourceMappingURL=hash-cache.js.map