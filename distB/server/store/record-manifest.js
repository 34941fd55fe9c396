import { CompactManifest } from '../../protocol/compact-manifest.js';
import { parseReleaseRecord } from './records.js';
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const TAB = 0x09;
const NEWLINE = 0x0a;
const ZERO = 0x30;
const DASH = 0x2d;
const ENTRIES_KEY = Buffer.from(',"entries":[');
const PATH_KEY = Buffer.from('{"path":');
const TYPE_KEY = Buffer.from(',"type":"');
const MODE_KEY = Buffer.from(',"mode":');
const SIZE_KEY = Buffer.from(',"size":');
const SHA256_KEY = Buffer.from(',"sha256":"');
const TARGET_KEY = Buffer.from(',"target":');
const TYPES = [Buffer.from('file"'), Buffer.from('dir"'), Buffer.from('symlink"')];
const TYPE_NAMES = [Buffer.from('file'), Buffer.from('dir'), Buffer.from('symlink')];
/**
 * A release record file (records.ts) read straight into its compact manifest and layout, without
 * an object per entry: the entries are decoded in the exact form the store writes them
 * (entries-json.ts), and the canonical text is made as they are. JSON.parse of a 100 000-entry
 * record and the manifest built from its objects took ~1 s of CPU under load, on the first delta
 * publish after a restart. The text's digest must equal the header's (the digest the publish
 * checked the tree under), so a record this reader misreads is read the general way instead,
 * as is one written in any other form (an older server's, one edited by hand).
 */
export function readRecord(file) {
    try {
        const read = decodeRecord(file);
        if (read && read.manifest.digest() === read.header.digest)
            return read;
    }
    catch {
        // Read the general way below: its errors are the ones a bad record always gave.
    }
    const { entries, ...header } = parseReleaseRecord(file.toString('utf8'));
    // Records hold validated entries, sorted canonically.
    return { header, manifest: CompactManifest.fromSorted(entries), layout: undefined };
}
/**
 * A release record's header (its summary), its entries skipped rather than parsed: the store's
 * start reads every retained record, and JSON.parse of a 100 000-entry one made ~100 MB of
 * objects only to drop them. The entries' brackets and strings must still balance; a record in
 * another form is parsed whole, as before.
 */
export function readRecordHeader(file) {
    const keyAt = topLevelEntries(file);
    const arrayEnd = keyAt < 0 ? -1 : valueEnd(file, keyAt + ENTRIES_KEY.length - 1);
    if (arrayEnd < 0) {
        const { entries: _entries, ...header } = parseReleaseRecord(file.toString('utf8'));
        return header;
    }
    const { entries: _entries, ...header } = parseReleaseRecord(`${file.toString('utf8', 0, keyAt)},"entries":[]${file.toString('utf8', arrayEnd)}`);
    return header;
}
/** One past the array or object opening at `at`, its brackets counted outside strings; -1 when it never closes. */
function valueEnd(file, at) {
    let depth = 0;
    for (let i = at; i < file.length; i++) {
        const value = file[i];
        if (value === QUOTE)
            i = stringEnd(file, i) - 1;
        else if (value === 0x7b || value === 0x5b)
            depth++;
        else if (value === CLOSE_BRACE || value === CLOSE_BRACKET) {
            if (--depth === 0)
                return i + 1;
        }
    }
    return -1;
}
/** Undefined (or a throw) where the file is not in the form the store writes. */
function decodeRecord(file) {
    const keyAt = topLevelEntries(file);
    if (keyAt < 0)
        return undefined;
    let at = keyAt + ENTRIES_KEY.length;
    // An entry takes at least 30 bytes of the file (`{"path":"x","type":"dir","mode":0}` and a comma).
    const most = Math.floor((file.length - at) / 30) + 1;
    let starts = new Uint32Array(most + 1);
    let lineStarts = new Uint32Array(most + 1);
    let pathStarts = new Uint32Array(most);
    // A line is never longer than its entry's JSON: the text fits in the file's length.
    const text = Buffer.allocUnsafe(file.length);
    let size = 0;
    let count = 0;
    if (file[at] !== CLOSE_BRACKET) {
        for (;;) {
            starts[count] = at;
            at = expect(file, at, PATH_KEY);
            const pathAt = at;
            const pathEnd = stringEnd(file, at);
            at = expect(file, pathEnd, TYPE_KEY);
            const type = file[at] === 0x66 ? 0 : file[at] === 0x64 ? 1 : 2;
            at = expect(file, at, TYPES[type]);
            at = expect(file, at, MODE_KEY);
            let mode = 0;
            const modeAt = at;
            while (file[at] >= ZERO && file[at] <= 0x39)
                mode = mode * 10 + (file[at++] - ZERO);
            if (at === modeAt || mode > 0o7777)
                return undefined;
            lineStarts[count] = size;
            size = copyInto(TYPE_NAMES[type], 0, TYPE_NAMES[type].length, text, size);
            text[size++] = TAB;
            text[size++] = ZERO + ((mode >> 9) & 7);
            text[size++] = ZERO + ((mode >> 6) & 7);
            text[size++] = ZERO + ((mode >> 3) & 7);
            text[size++] = ZERO + (mode & 7);
            text[size++] = TAB;
            if (type === 0) {
                at = expect(file, at, SIZE_KEY);
                const sizeAt = at;
                while (file[at] >= ZERO && file[at] <= 0x39)
                    text[size++] = file[at++];
                if (at === sizeAt)
                    return undefined;
                at = expect(file, at, SHA256_KEY);
                if (file[at + 64] !== QUOTE)
                    return undefined;
                text[size++] = TAB;
                size = copyInto(file, at, at + 64, text, size);
                at += 65;
            }
            else if (type === 2) {
                at = expect(file, at, TARGET_KEY);
                const targetEnd = stringEnd(file, at);
                text[size++] = ZERO;
                text[size++] = TAB;
                size = stringBytes(file, at, targetEnd, text, size);
                at = targetEnd;
            }
            else {
                text[size++] = ZERO;
                text[size++] = TAB;
                text[size++] = DASH;
            }
            text[size++] = TAB;
            pathStarts[count] = size;
            size = stringBytes(file, pathAt, pathEnd, text, size);
            text[size++] = NEWLINE;
            count++;
            if (file[at] !== CLOSE_BRACE)
                return undefined;
            at++;
            if (file[at] === CLOSE_BRACKET)
                break;
            if (file[at] !== COMMA || count >= most)
                return undefined;
            at++;
        }
    }
    // `]`, then the header's remaining members (the signature) and `}`, as the header's JSON.
    const header = JSON.parse(`${file.toString('utf8', 0, keyAt)}${file.toString('utf8', at + 1)}`);
    if (typeof header.app !== 'string' || !Number.isInteger(header.seq) || typeof header.digest !== 'string')
        return undefined;
    starts[count] = at + 1;
    lineStarts[count] = size;
    starts = starts.slice(0, count + 1);
    lineStarts = lineStarts.slice(0, count + 1);
    pathStarts = pathStarts.slice(0, count);
    const manifest = CompactManifest.fromCanonicalText(Buffer.from(text.subarray(0, size)), lineStarts, pathStarts);
    return { header, manifest, layout: { starts, fileBytes: file.length } };
}
/**
 * Writes the bytes of the JSON string file[start, end) (quotes included) into `out` at `at`;
 * returns where they end. One that holds an escape is decoded by JSON.parse.
 */
function stringBytes(file, start, end, out, at) {
    for (let i = start + 1; i < end - 1; i++) {
        if (file[i] === BACKSLASH) {
            const decoded = Buffer.from(JSON.parse(file.toString('utf8', start, end)));
            // Escapes only ever make a string longer in JSON than in bytes.
            return at + decoded.copy(out, at);
        }
    }
    return copyInto(file, start + 1, end - 1, out, at);
}
/** Copies source[start, end) into `out` at `at`; returns where it ends. A loop: the runs are tens of bytes, shorter than a native call is worth. */
function copyInto(source, start, end, out, at) {
    for (let i = start; i < end; i++)
        out[at++] = source[i];
    return at;
}
/** Where `,"entries":[` begins as a member of the top-level object; -1 when it is not there. */
function topLevelEntries(file) {
    if (file[0] !== 0x7b)
        return -1;
    let depth = 0;
    for (let i = 0; i < file.length; i++) {
        const value = file[i];
        if (value === QUOTE)
            i = stringEnd(file, i) - 1;
        else if (value === 0x7b || value === 0x5b)
            depth++;
        else if (value === CLOSE_BRACE || value === CLOSE_BRACKET)
            depth--;
        else if (value === COMMA && depth === 1 && matches(file, i, ENTRIES_KEY))
            return i;
    }
    return -1;
}
/** The end of the JSON string at `at` (its opening quote), past its closing quote. */
function stringEnd(file, at) {
    if (file[at] !== QUOTE)
        throw new Error('string expected');
    for (let i = at + 1; i < file.length; i++) {
        const value = file[i];
        if (value === BACKSLASH)
            i++;
        else if (value === QUOTE)
            return i + 1;
    }
    throw new Error('unterminated string');
}
function matches(file, at, bytes) {
    for (let k = 0; k < bytes.length; k++)
        if (file[at + k] !== bytes[k])
            return false;
    return true;
}
function expect(file, at, bytes) {
    if (!matches(file, at, bytes))
        throw new Error('not in the form the store writes');
    return at + bytes.length;
}
//# sourceMappingURL=record-manifest.js.map