/**
 * What lstat said of each regular file of a walk, in one column of doubles: IDENTITY_STRIDE per
 * file, at the slot its node names (`identity`). An object per file (and its four boxed numbers)
 * lived through the whole publish: at 100 000 files they were most of what the walk's scavenges
 * copied. The lstat helper thread writes the same layout straight into shared memory.
 *
 * The numbers are lstat's doubles (not the BigInt nanoseconds of protocol/local-tree.ts): the same
 * stat always gives the same doubles, and times as float ms keep sub-microsecond precision at
 * today's dates (two writes within the lost fraction are the racy-clean case hash-cache.ts
 * DEFAULT_RACY_WINDOW_MS guards against).
 */
/** Doubles per file: size, mtime (ms), ctime (ms), inode, mode (-1: not stat'ed, or lstat failed). */
export const IDENTITY_STRIDE = 5;
const SIZE = 0;
const MTIME = 1;
const CTIME = 2;
const INO = 3;
const MODE = 4;
export class FileIdentities {
    values;
    constructor(values) {
        this.values = values;
    }
    static ofFiles(files) {
        return new FileIdentities(new Float64Array(files * IDENTITY_STRIDE));
    }
    size(slot) {
        return this.values[slot * IDENTITY_STRIDE + SIZE];
    }
    mtimeMs(slot) {
        return this.values[slot * IDENTITY_STRIDE + MTIME];
    }
    ctimeMs(slot) {
        return this.values[slot * IDENTITY_STRIDE + CTIME];
    }
    ino(slot) {
        return this.values[slot * IDENTITY_STRIDE + INO];
    }
    /** The file's st_mode as lstat gave it, or -1 when it has none (see IDENTITY_STRIDE). */
    mode(slot) {
        return this.values[slot * IDENTITY_STRIDE + MODE];
    }
    set(slot, size, mtimeMs, ctimeMs, ino, mode) {
        const at = slot * IDENTITY_STRIDE;
        const values = this.values;
        values[at + SIZE] = size;
        values[at + MTIME] = mtimeMs;
        values[at + CTIME] = ctimeMs;
        values[at + INO] = ino;
        values[at + MODE] = mode;
    }
}
//# sourceMappingURL=file-identities.js.map