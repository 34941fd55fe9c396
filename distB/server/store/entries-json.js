const TAB = 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const FILE_INITIAL = 0x66;
const SYMLINK_INITIAL = 0x73;
/** Bytes of the keys and punctuation around one entry's values, at most (a file's, with its comma). */
const FRAME_BYTES = 64;
/**
 * The entries of a compact manifest as the record file holds them: `JSON.stringify(entry)` of each
 * (keys in `CompactManifest.entry`'s order: path, type, mode, then size and sha256 or target),
 * joined by commas — written straight from the canonical text, byte runs copied, no object or
 * string per entry. A publish writes the record of the whole tree, so this runs over every entry
 * even when one file changed; decoding each into an object and stringifying it was the largest
 * piece of a one-file publish's server CPU. A path or target JSON would escape (a control
 * character, a quote, a backslash) goes through JSON.stringify; nothing else needs escaping
 * (JSON.stringify leaves other characters, U+2028 included, as they are).
 */
export function entriesJson(manifest) {
    return entriesJsonRange(manifest, 0, manifest.length).json;
}
/**
 * `entriesJson` of entries [from, to) only, with where each entry's object starts in it
 * (`starts[k]` for entry from + k): what a record that shares the rest with an older one writes.
 */
export function entriesJsonRange(manifest, from, to) {
    const { text } = manifest;
    const { lineStarts, pathStarts } = manifest.offsets();
    const starts = new Uint32Array(to - from);
    let out = Buffer.allocUnsafe(lineStarts[to] - lineStarts[from] + (to - from) * FRAME_BYTES + 16);
    let at = 0;
    const room = (bytes) => {
        if (at + bytes <= out.length)
            return;
        const bigger = Buffer.allocUnsafe(Math.max(out.length * 2, at + bytes));
        out.copy(bigger, 0, 0, at);
        out = bigger;
    };
    // Byte by byte in JS: the runs are tens of bytes, shorter than a native call is worth.
    const copy = (source, start, end) => {
        for (let i = start; i < end; i++)
            out[at++] = source[i];
    };
    const put = (bytes) => copy(bytes, 0, bytes.length);
    /** A JSON string of text[start, end), quotes included. */
    const string = (start, end) => {
        room(end - start + 2);
        if (plain(text, start, end)) {
            out[at++] = QUOTE;
            copy(text, start, end);
            out[at++] = QUOTE;
            return;
        }
        const escaped = JSON.stringify(text.toString('utf8', start, end));
        room(Buffer.byteLength(escaped));
        at += out.write(escaped, at, 'utf8');
    };
    for (let i = from; i < to; i++) {
        const start = lineStarts[i];
        const pathStart = pathStarts[i];
        const initial = text[start];
        const typeEnd = start + (initial === FILE_INITIAL ? 4 : initial === SYMLINK_INITIAL ? 7 : 3);
        room(FRAME_BYTES);
        if (i > from)
            out[at++] = 0x2c;
        starts[i - from] = at;
        put(PATH_KEY);
        string(pathStart, lineStarts[i + 1] - 1);
        room(FRAME_BYTES);
        put(TYPE_KEY);
        copy(text, start, typeEnd);
        put(MODE_KEY);
        // Four octal digits, written as the decimal number JSON.stringify gives.
        let mode = 0;
        for (let d = typeEnd + 1; d < typeEnd + 5; d++)
            mode = mode * 8 + (text[d] - 0x30);
        decimal(mode);
        if (initial === FILE_INITIAL || initial === SYMLINK_INITIAL) {
            const sizeStart = typeEnd + 6;
            let sizeEnd = sizeStart;
            while (text[sizeEnd] !== TAB)
                sizeEnd++;
            if (initial === FILE_INITIAL) {
                put(SIZE_KEY);
                copy(text, sizeStart, sizeEnd);
                put(SHA256_KEY);
            }
            else
                put(TARGET_KEY);
            string(sizeEnd + 1, pathStart - 1);
        }
        room(1);
        out[at++] = 0x7d;
    }
    return { json: out.subarray(0, at), starts };
    function decimal(value) {
        if (value >= 10)
            decimal(Math.floor(value / 10));
        out[at++] = 0x30 + (value % 10);
    }
}
const PATH_KEY = Buffer.from('{"path":');
const TYPE_KEY = Buffer.from(',"type":"');
const MODE_KEY = Buffer.from('","mode":');
const SIZE_KEY = Buffer.from(',"size":');
const SHA256_KEY = Buffer.from(',"sha256":');
const TARGET_KEY = Buffer.from(',"target":');
/** True when text[start, end) needs no escaping in a JSON string. */
function plain(text, start, end) {
    for (let i = start; i < end; i++) {
        const byte = text[i];
        if (byte < 0x20 || byte === QUOTE || byte === BACKSLASH)
            return false;
    }
    return true;
}
//# sourceMappingURL=entries-json.js.map