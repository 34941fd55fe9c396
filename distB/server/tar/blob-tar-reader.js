import { CodesyncError } from '../../protocol/errors.js';
const BLOCK = 512;
/** Tar entry types by typeflag, as tar-stream names them (for the errors that name them). */
const TYPES = {
    '0': 'file',
    '\0': 'file',
    '1': 'link',
    '2': 'symlink',
    '3': 'character-device',
    '4': 'block-device',
    '5': 'directory',
    '6': 'fifo',
    '7': 'contiguous-file',
};
/**
 * Reads a tar of blobs (`POST /v1/blobs`) straight off the body's chunks: a small entry is handed
 * over as one buffer (no stream, no promise per chunk), a big one as a stream. A cold publish of
 * 100 000 tiny files is 100 000 entries, and a general tar reader's stream per entry cost the
 * event loop more than all the rest of the server's work on each. Reads ustar and old headers,
 * pax extended headers (path, size) and GNU long names; any entry but a file is refused
 * (UNSUPPORTED_TAR_ENTRY). A bad header is INVALID_TAR, a body that ends inside the archive
 * TRUNCATED_BODY. The archive ends at a zero block or with the input. `onEntry` returns a
 * promise only when the reader must wait for it.
 */
export async function readBlobTar(input, wholeBytes, onEntry) {
    const reader = new ChunkReader(input[Symbol.asyncIterator]());
    let longName;
    let pax = {};
    for (;;) {
        const header = await reader.take(BLOCK, true);
        if (!header || isZeroBlock(header))
            return;
        checkChecksum(header);
        const flag = String.fromCharCode(header[156]);
        if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
            const size = readSize(header);
            const data = await reader.take(size + padding(size));
            if (!data)
                throw truncated();
            if (flag === 'x')
                pax = parsePax(data.subarray(0, size));
            if (flag === 'L')
                longName = data.toString('utf8', 0, size).replace(/\0+$/, '');
            continue;
        }
        const size = pax.size !== undefined ? Number(pax.size) : readSize(header);
        if (!Number.isSafeInteger(size) || size < 0)
            throw new CodesyncError('INVALID_TAR', 'corrupt tar stream: a bad entry size');
        const name = pax.path ?? longName ?? readName(header);
        pax = {};
        longName = undefined;
        const type = TYPES[flag] ?? `type ${JSON.stringify(flag)}`;
        if (type !== 'file' && type !== 'contiguous-file') {
            throw new CodesyncError('UNSUPPORTED_TAR_ENTRY', `tar entry ${JSON.stringify(name)} is a ${type}: a blob upload holds files named by their sha256`);
        }
        if (size <= wholeBytes) {
            const data = await reader.take(size + padding(size));
            if (!data)
                throw truncated();
            // A small entry is usually taken at once (no promise): the next is read in the same turn.
            const taken = onEntry({ name, size, bytes: data.subarray(0, size) });
            if (taken)
                await taken;
            continue;
        }
        let consumed = false;
        const body = reader.stream(size, () => (consumed = true));
        await onEntry({ name, size, body });
        if (!consumed)
            for await (const _ of body)
                ;
        if (!(await reader.take(padding(size))))
            throw truncated();
    }
}
/** Takes exact byte counts off an async sequence of chunks, joining only what spans chunks. */
class ChunkReader {
    input;
    chunk = Buffer.alloc(0);
    at = 0;
    constructor(input) {
        this.input = input;
    }
    /**
     * The next `n` bytes, a view of the input when they lie in one chunk; undefined when the input
     * ends first (with `atEnd`, only when it ends exactly here: any byte of them is a truncation).
     */
    async take(n, atEnd = false) {
        if (this.chunk.length - this.at >= n) {
            this.at += n;
            return this.chunk.subarray(this.at - n, this.at);
        }
        const parts = [];
        let have = 0;
        while (have < n) {
            if (this.at === this.chunk.length && !(await this.next())) {
                if (have > 0 || !atEnd)
                    throw truncated();
                return undefined;
            }
            const part = this.chunk.subarray(this.at, Math.min(this.chunk.length, this.at + n - have));
            this.at += part.length;
            have += part.length;
            parts.push(part);
        }
        return parts.length === 1 ? parts[0] : Buffer.concat(parts, n);
    }
    /** The next `size` bytes as chunks; `onEnd` once all were read. */
    async *stream(size, onEnd) {
        let left = size;
        while (left > 0) {
            if (this.at === this.chunk.length && !(await this.next()))
                throw truncated();
            const part = this.chunk.subarray(this.at, Math.min(this.chunk.length, this.at + left));
            this.at += part.length;
            left -= part.length;
            yield part;
        }
        onEnd();
    }
    async next() {
        const { done, value } = await this.input.next();
        if (done)
            return false;
        this.chunk = value;
        this.at = 0;
        return true;
    }
}
function isZeroBlock(block) {
    for (let i = 0; i < BLOCK; i++)
        if (block[i] !== 0)
            return false;
    return true;
}
/** The header's checksum: the sum of its bytes, the checksum field counted as spaces. */
function checkChecksum(header) {
    let sum = 8 * 0x20;
    for (let i = 0; i < 148; i++)
        sum += header[i];
    for (let i = 156; i < BLOCK; i++)
        sum += header[i];
    if (sum !== readOctal(header, 148, 8))
        throw new CodesyncError('INVALID_TAR', 'corrupt tar stream: a header checksum does not match (is it gzip without saying so?)');
}
function readName(header) {
    const name = readString(header, 0, 100);
    // ustar keeps a long path's leading directories in a prefix field.
    if (header.toString('latin1', 257, 262) !== 'ustar')
        return name;
    const prefix = readString(header, 345, 155);
    return prefix ? `${prefix}/${name}` : name;
}
function readString(header, at, length) {
    let end = at;
    while (end < at + length && header[end] !== 0)
        end++;
    return header.toString('utf8', at, end);
}
/** The size field: octal digits, or big-endian base 256 when its first byte's high bit is set. */
function readSize(header) {
    if (header[124] & 0x80) {
        let value = header[124] & 0x7f;
        for (let i = 125; i < 136; i++)
            value = value * 256 + header[i];
        return value;
    }
    return readOctal(header, 124, 12);
}
function readOctal(header, at, length) {
    let i = at;
    const end = at + length;
    while (i < end && header[i] === 0x20)
        i++;
    let value = 0;
    let digits = 0;
    for (; i < end; i++) {
        const byte = header[i];
        if (byte < 0x30 || byte > 0x37)
            break;
        value = value * 8 + (byte - 0x30);
        digits++;
    }
    if (digits === 0)
        throw new CodesyncError('INVALID_TAR', 'corrupt tar stream: a header holds no number where one belongs');
    return value;
}
/** pax records, `LEN key=value\n` each, LEN counting bytes. */
function parsePax(data) {
    const records = {};
    let at = 0;
    while (at < data.length) {
        const space = data.indexOf(0x20, at);
        const length = Number(data.toString('latin1', at, space));
        if (space < 0 || !Number.isInteger(length) || length <= space - at || at + length > data.length) {
            throw new CodesyncError('INVALID_TAR', 'corrupt tar stream: a bad pax header');
        }
        const record = data.toString('utf8', space + 1, at + length - 1);
        const equals = record.indexOf('=');
        if (equals > 0)
            records[record.slice(0, equals)] = record.slice(equals + 1);
        at += length;
    }
    return records;
}
function padding(size) {
    return (BLOCK - (size % BLOCK)) % BLOCK;
}
function truncated() {
    return new CodesyncError('TRUNCATED_BODY', 'the tar stream ended early: inside an entry');
}
//# sourceMappingURL=blob-tar-reader.js.map