/**
 * The ustar framing of the blob tars on the wire: the CLI's upload and the server's pack, entries
 * named by sha256. A header is byte for byte what tar-stream's `pack` writes for
 * `{ name, size, mode: 0o644, mtime: 0, uid: 0, gid: 0, type: 'file' }`: a pack is named by its
 * etag, so a server that builds its headers itself must send the bytes an older one sent (an HTTP
 * cache in front may hold either). Only the name, the size and the checksum vary, so they are
 * written into a copy of one template instead of through a general encoder per entry.
 */
const BLOCK = 512;
/** Writes the header of a blob entry at `at` of `target` (512 bytes). */
export function writeBlobEntryHeader(target, at, name, size) {
    TEMPLATE.copy(target, at);
    let sum = TEMPLATE_SUM;
    // Names are sha256 hex: ASCII, well under the field's 100 bytes.
    for (let i = 0; i < name.length; i++) {
        const unit = name.charCodeAt(i);
        target[at + i] = unit;
        sum += unit;
    }
    sum += writeSize(target, at + 124, size);
    writeOctal(target, at + 148, sum, 6);
}
/** The header of a blob entry, in a buffer of its own. */
export function blobEntryHeader(name, size) {
    const header = Buffer.allocUnsafe(BLOCK);
    writeBlobEntryHeader(header, 0, name, size);
    return header;
}
/** Bytes of a blob's whole entry: header, data, padding. */
export function blobEntryBytes(size) {
    return BLOCK + size + paddingBytes(size);
}
/** Bytes of zeros that pad an entry's data of `size` bytes to a whole block. */
export function paddingBytes(size) {
    return (BLOCK - (size % BLOCK)) % BLOCK;
}
/** Zero bytes that pad an entry's data to a whole block. */
export function padding(size) {
    return ZEROS.subarray(0, paddingBytes(size));
}
/** Two zero blocks: the end of an archive. */
export const END_OF_TAR = Buffer.alloc(2 * BLOCK);
const ZEROS = Buffer.alloc(BLOCK);
const TEMPLATE = (() => {
    const header = Buffer.alloc(BLOCK);
    writeOctal(header, 100, 0o644, 6);
    writeOctal(header, 108, 0, 6); // uid
    writeOctal(header, 116, 0, 6); // gid
    writeOctal(header, 136, 0, 11); // mtime: the epoch, so a pack is a function of its blobs
    header[156] = 0x30; // typeflag '0': a file
    header.write('ustar\x0000', 257, 'latin1');
    writeOctal(header, 329, 0, 6); // devmajor
    writeOctal(header, 337, 0, 6); // devminor
    return header;
})();
/** The template's checksum, the checksum field itself counted as eight spaces. */
const TEMPLATE_SUM = TEMPLATE.reduce((sum, byte, i) => sum + (i >= 148 && i < 156 ? 0x20 : byte), 0);
/** Writes `value` as `digits` octal digits and a space at `at`, as tar-stream writes numeric fields; returns the bytes' sum. */
function writeOctal(target, at, value, digits) {
    let sum = 0x20;
    target[at + digits] = 0x20;
    for (let i = digits - 1; i >= 0; i--) {
        const digit = 0x30 + (value % 8);
        target[at + i] = digit;
        sum += digit;
        value = Math.floor(value / 8);
    }
    return sum;
}
/** The size field: 11 octal digits, or base-256 (a leading 0x80 byte) past 8 GiB, as tar-stream does; returns the bytes' sum. */
function writeSize(target, at, size) {
    if (size < 8 ** 11)
        return writeOctal(target, at, size, 11);
    let sum = 0x80;
    target[at] = 0x80;
    let rest = size;
    for (let i = 11; i > 0; i--) {
        target[at + i] = rest & 0xff;
        sum += rest & 0xff;
        rest = Math.floor(rest / 0x100);
    }
    return sum;
}
//# sourceMappingURL=blob-tar-header.js.map