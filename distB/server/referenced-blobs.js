/** Hex digits of a sha256 that make its key: 48 bits, exact in a double. */
const KEY_DIGITS = 12;
/** Types are `dir`, `file`, `symlink`: only a file's canonical line begins with `f`. */
const FILE_INITIAL = 0x66;
/** Each byte's value as a lowercase hex digit, -1 for any other byte. */
const HEX_VALUES = (() => {
    const values = new Int8Array(256).fill(-1);
    for (let digit = 0; digit < 16; digit++)
        values['0123456789abcdef'.charCodeAt(digit)] = digit;
    return values;
})();
/**
 * The keys of the blobs of `manifest`'s files, sorted, each once: the first 48 bits of each
 * sha256, read off the manifest's text. ~8 bytes a file: what GC keeps of a release between its
 * runs instead of reading its record again (a 100 000-file release is ~11 MB of manifest, and
 * the manifest cache holds only a few of those).
 */
export function blobKeys(manifest) {
    const text = manifest.text;
    const { lineStarts, pathStarts } = manifest.offsets();
    const keys = new Float64Array(manifest.length);
    let count = 0;
    for (let i = 0; i < manifest.length; i++) {
        if (text[lineStarts[i]] !== FILE_INITIAL)
            continue;
        // The sha256 is the 64 hex digits between the last two tabs before the path.
        const at = pathStarts[i] - 65;
        let key = 0;
        for (let k = 0; k < KEY_DIGITS; k++)
            key = key * 16 + HEX_VALUES[text[at + k]];
        keys[count++] = key;
    }
    return distinct(keys.subarray(0, count).sort());
}
/**
 * The blobs the retained releases reference, as GC's mark and sweep ask about them: the union of
 * their blobKeys, where a Set of a 64-character string per blob cost most of a mark (~0.5 s of
 * CPU to add and look up 100 000 of them, every prune). Two blobs sharing a key can only make
 * `has` answer true for a blob no release references, which GC then keeps: it never deletes a
 * referenced blob.
 */
export class ReferencedBlobs {
    keys = new Float64Array(0);
    added = [];
    /** Adds the blobs whose sorted, distinct keys (blobKeys) are `keys`. */
    addKeys(keys) {
        this.added.push(keys);
    }
    /** True when a release added references `sha256`, or (rarely) another blob of the same key. */
    has(sha256) {
        const key = keyOf(sha256);
        if (key < 0)
            return false;
        this.merge();
        const keys = this.keys;
        let low = 0;
        let high = keys.length - 1;
        while (low <= high) {
            const middle = (low + high) >>> 1;
            const held = keys[middle];
            if (held === key)
                return true;
            if (held < key)
                low = middle + 1;
            else
                high = middle - 1;
        }
        return false;
    }
    /** Distinct keys held: about the blobs referenced (what a GC log reports). */
    get size() {
        this.merge();
        return this.keys.length;
    }
    /** Merges the keys added since the last lookup into the held ones: releases of one app share most. */
    merge() {
        for (const keys of this.added)
            this.keys = union(this.keys, keys);
        this.added.length = 0;
    }
}
/** The sorted, distinct keys of two sorted, distinct arrays. */
function union(a, b) {
    const out = new Float64Array(a.length + b.length);
    let i = 0;
    let j = 0;
    let n = 0;
    while (i < a.length && j < b.length) {
        const x = a[i];
        const y = b[j];
        if (x === y) {
            out[n++] = x;
            i++;
            j++;
        }
        else if (x < y) {
            out[n++] = x;
            i++;
        }
        else {
            out[n++] = y;
            j++;
        }
    }
    while (i < a.length)
        out[n++] = a[i++];
    while (j < b.length)
        out[n++] = b[j++];
    return out.slice(0, n);
}
/** The sorted `keys` each once, in place. */
function distinct(keys) {
    let count = 0;
    for (let i = 0; i < keys.length; i++)
        if (i === 0 || keys[i] !== keys[i - 1])
            keys[count++] = keys[i];
    return keys.slice(0, count);
}
/** The key of a sha256 given in hex, or -1 when it does not begin with KEY_DIGITS lowercase hex digits. */
function keyOf(sha256) {
    if (sha256.length < KEY_DIGITS)
        return -1;
    let key = 0;
    for (let k = 0; k < KEY_DIGITS; k++) {
        const code = sha256.charCodeAt(k);
        const value = code < 0x100 ? HEX_VALUES[code] : -1;
        if (value < 0)
            return -1;
        key = key * 16 + value;
    }
    return key;
}
//# sourceMappingURL=referenced-blobs.js.map