import { CompactManifest } from '../../protocol/compact-manifest.js';
const TAB = 0x09;
const NEWLINE = 0x0a;
const SHA_BYTES = 32;
/** Each byte's two lowercase hex digits: the first in the low 8 bits, the second in the high. */
const HEX_PAIRS = (() => {
    const pairs = new Uint16Array(256);
    const digits = Buffer.from('0123456789abcdef');
    for (let byte = 0; byte < 256; byte++)
        pairs[byte] = digits[byte >> 4] | (digits[byte & 15] << 8);
    return pairs;
})();
/**
 * Writes canonical lines (docs/design.md#data-model) byte by byte into one growing buffer, keeping
 * each line's start and its path's start: a CompactManifest without a string per line. The fields
 * are copied a UTF-16 unit at a time while they are ASCII (paths, digits, hex digests); a field
 * holding anything else is encoded by Buffer#write instead. Making a line string per entry, then
 * joining and encoding them, cost 2-4x the CPU at 100 000 entries.
 */
export class ManifestTextWriter {
    count;
    text;
    at = 0;
    line = 0;
    lineStarts;
    pathStarts;
    constructor(count) {
        this.count = count;
        this.lineStarts = new Uint32Array(count + 1);
        this.pathStarts = new Uint32Array(count);
        // About a code tree's line (a 64-digit hex digest and a short path); grown when short.
        this.text = Buffer.allocUnsafe(Math.max(count, 1) * 160);
    }
    /** Appends one line: `type\tmode\tsize\tcontent\tpath\n`. */
    add(type, mode, size, content, path) {
        // A UTF-16 unit is at most 3 UTF-8 bytes; 40 covers type, mode, size and the separators.
        this.reserve(40 + 3 * (content.length + path.length));
        this.lineStarts[this.line] = this.at;
        this.field(type);
        this.text[this.at++] = TAB;
        this.field(mode);
        this.text[this.at++] = TAB;
        this.field(size === 0 ? '0' : String(size));
        this.text[this.at++] = TAB;
        this.field(content);
        this.text[this.at++] = TAB;
        this.pathStarts[this.line] = this.at;
        this.field(path);
        this.text[this.at++] = NEWLINE;
        this.line++;
    }
    /**
     * Appends a file's line whose sha256 is the SHA_BYTES raw bytes of `shas` at `shaAt` (a hash
     * cache's column), its hex digits written here: no string per file.
     */
    addFile(mode, size, shas, shaAt, path) {
        this.reserve(40 + 2 * SHA_BYTES + 3 * path.length);
        this.lineStarts[this.line] = this.at;
        this.field('file');
        this.text[this.at++] = TAB;
        this.field(mode);
        this.text[this.at++] = TAB;
        this.field(size === 0 ? '0' : String(size));
        this.text[this.at++] = TAB;
        const text = this.text;
        let at = this.at;
        for (let i = shaAt; i < shaAt + SHA_BYTES; i++) {
            const pair = HEX_PAIRS[shas[i]];
            text[at++] = pair & 0xff;
            text[at++] = pair >> 8;
        }
        text[at++] = TAB;
        this.at = at;
        this.pathStarts[this.line] = this.at;
        this.field(path);
        this.text[this.at++] = NEWLINE;
        this.line++;
    }
    /** The manifest of the lines added, which must be every line (`count`) in canonical order. */
    finish() {
        if (this.line !== this.count)
            throw new Error(`manifest writer: ${this.line} lines of ${this.count} added`);
        this.lineStarts[this.count] = this.at;
        return CompactManifest.fromCanonicalText(this.text.subarray(0, this.at), this.lineStarts, this.pathStarts);
    }
    field(value) {
        const text = this.text;
        const start = this.at;
        let at = start;
        for (let i = 0; i < value.length; i++) {
            const unit = value.charCodeAt(i);
            if (unit >= 0x80) {
                this.at = start + text.write(value, start, 'utf8');
                return;
            }
            text[at++] = unit;
        }
        this.at = at;
    }
    reserve(bytes) {
        if (this.at + bytes <= this.text.length)
            return;
        const grown = Buffer.allocUnsafe(Math.max(this.text.length * 2, this.at + bytes));
        this.text.copy(grown, 0, 0, this.at);
        this.text = grown;
    }
}
//# sourceMappingURL=manifest-text-writer.js.map