import { CodesyncError } from './errors.js';
import { LIMITS } from './limits.js';
/**
 * Why a path is refused, or undefined when it is a valid entry path (docs/api.md): relative
 * POSIX, valid UTF-8, no empty, `.` or `..` segment, no leading `/`, no NUL, at most
 * LIMITS.maxPathBytes bytes, no segment over LIMITS.maxNameBytes bytes (Linux's NAME_MAX: a
 * longer name could never be created on a node).
 */
export function pathProblem(path) {
    if (typeof path !== 'string')
        return invalid('is not a string');
    if (path.length === 0)
        return invalid('is empty');
    if (path.includes('\0'))
        return invalid('contains a NUL byte');
    if (!isWellFormedUtf16(path))
        return invalid('is not valid UTF-8');
    const bytes = Buffer.byteLength(path);
    if (bytes > LIMITS.maxPathBytes)
        return { code: 'PATH_TOO_LONG', reason: `is ${bytes} bytes, longer than the limit of ${LIMITS.maxPathBytes}` };
    if (path.startsWith('/'))
        return invalid('is absolute');
    let start = 0;
    while (start <= path.length) {
        const slash = path.indexOf('/', start);
        const end = slash === -1 ? path.length : slash;
        const length = end - start;
        if (length === 0)
            return invalid('has an empty segment');
        if (length === 1 && path.startsWith('.', start))
            return invalid("has a '.' segment");
        if (length === 2 && path.startsWith('..', start))
            return invalid("has a '..' segment");
        // A UTF-16 unit is at most 3 UTF-8 bytes: only a longer segment needs its bytes counted.
        if (length > LIMITS.maxNameBytes / 3) {
            const segment = path.slice(start, end);
            const segmentBytes = Buffer.byteLength(segment);
            if (segmentBytes > LIMITS.maxNameBytes) {
                return { code: 'NAME_TOO_LONG', reason: `has a name of ${segmentBytes} bytes (${JSON.stringify(segment.slice(0, 32))}…), longer than the limit of ${LIMITS.maxNameBytes}` };
            }
        }
        start = end + 1;
    }
    return undefined;
}
export function assertEntryPath(path) {
    const problem = pathProblem(path);
    if (problem)
        throw new CodesyncError(problem.code, `path ${JSON.stringify(path)} ${problem.reason}`);
}
/**
 * Why a symlink target is refused by its form alone, or undefined: non-empty, no NUL, valid
 * UTF-8, at most LIMITS.maxPathBytes bytes. Where it resolves is decided against the whole tree
 * by symlink-resolver.ts.
 */
export function symlinkTargetFormProblem(target) {
    if (typeof target !== 'string' || target.length === 0)
        return 'has an empty target';
    if (target.includes('\0'))
        return 'has a target with a NUL byte';
    if (!isWellFormedUtf16(target))
        return 'has a target that is not valid UTF-8';
    if (Buffer.byteLength(target) > LIMITS.maxPathBytes)
        return `has a target longer than ${LIMITS.maxPathBytes} bytes`;
    return undefined;
}
/** Parents of a path, nearest last: `a/b/c` → `a`, `a/b`. */
export function parentsOf(path) {
    const parents = [];
    let index = path.indexOf('/');
    while (index !== -1) {
        parents.push(path.slice(0, index));
        index = path.indexOf('/', index + 1);
    }
    return parents;
}
/**
 * Sort order of the canonical digest: by path as UTF-8 bytes, not as UTF-16 code units. UTF-8
 * byte order is code point order, and UTF-16 units already sort that way except that surrogates
 * (D800-DFFF, code points past FFFF) must come after E000-FFFF: the units are shifted before
 * comparing. No buffer is made, so sorting 100 000 paths allocates nothing per comparison.
 */
export function comparePathBytes(a, b) {
    const length = Math.min(a.length, b.length);
    for (let i = 0; i < length; i++) {
        const x = a.charCodeAt(i);
        const y = b.charCodeAt(i);
        if (x !== y)
            return codePointRank(x) - codePointRank(y);
    }
    return a.length - b.length;
}
function codePointRank(unit) {
    if (unit < 0xd800)
        return unit;
    return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}
function invalid(reason) {
    return { code: 'INVALID_PATH', reason };
}
function isWellFormedUtf16(value) {
    // Lone surrogates cannot be encoded as UTF-8; String#isWellFormed arrives in Node 20.
    return value.isWellFormed();
}
//# sourceMappingURL=paths.js.map