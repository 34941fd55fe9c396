/** A list of `{ sha256, size }` objects as a BlobList (a fetch's few blobs). */
export function blobListOf(blobs) {
    return { length: blobs.length, sha256: (index) => blobs[index].sha256, size: (index) => blobs[index].size };
}
const TAB = 0x09;
const FILE_INITIAL = 0x66;
const SHA256_HEX = 64;
/**
 * A pack's blob list held as 40 bytes a blob (the raw sha256 and a float size) outside the heap,
 * where an object per blob took ~150 bytes of heap: a 100 000-blob list a cold node asks for is
 * 4 MB, kept while a herd asks for the same step.
 */
export class PackedBlobList {
    raw;
    sizes;
    constructor(raw, sizes) {
        this.raw = raw;
        this.sizes = sizes;
    }
    /**
     * The blobs `target` references that `base` does not, once each, sorted by sha256: read off the
     * manifests' canonical text (a file line is `file\tMODE\tSIZE\tSHA256\tPATH\n`), no entry objects.
     */
    static packOf(target, base) {
        const held = new Set();
        if (base)
            eachFile(base, (sha256) => held.add(sha256));
        const sizes = new Map();
        eachFile(target, (sha256, size) => {
            if (!held.has(sha256))
                sizes.set(sha256, size);
        });
        const sorted = [...sizes.keys()].sort();
        const raw = Buffer.allocUnsafe(sorted.length * 32);
        const sizeArray = new Float64Array(sorted.length);
        sorted.forEach((sha256, index) => {
            raw.write(sha256, index * 32, 32, 'hex');
            sizeArray[index] = sizes.get(sha256);
        });
        return new PackedBlobList(raw, sizeArray);
    }
    get length() {
        return this.sizes.length;
    }
    sha256(index) {
        return this.raw.toString('hex', index * 32, index * 32 + 32);
    }
    size(index) {
        return this.sizes[index];
    }
    /** Bytes the list holds. */
    get bytes() {
        return this.raw.length + this.sizes.byteLength;
    }
}
/** Calls `each` with the sha256 and size of every file entry of `manifest`. */
function eachFile(manifest, each) {
    const { text } = manifest;
    const { lineStarts, pathStarts } = manifest.offsets();
    for (let i = 0; i < manifest.length; i++) {
        const start = lineStarts[i];
        if (text[start] !== FILE_INITIAL)
            continue;
        // `file\t` and four mode digits and a tab: the size starts 10 bytes in and ends at a tab.
        let size = 0;
        for (let at = start + 10; text[at] !== TAB; at++)
            size = size * 10 + (text[at] - 0x30);
        const shaEnd = pathStarts[i] - 1;
        each(text.toString('latin1', shaEnd - SHA256_HEX, shaEnd), size);
    }
}
//# sourceMappingURL=blob-list.js.map