/**
 * One byte range of a `Range: bytes=...` header against a body of `size` bytes: inclusive
 * offsets, 'unsatisfiable' for a range past the end, undefined when the header is absent or
 * asks for several ranges (then the whole body is sent, as RFC 9110 allows).
 */
export function parseRange(header, size) {
    if (!header)
        return undefined;
    const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
    if (!match)
        return undefined;
    const [, first, last] = match;
    if (first === '' && last === '')
        return undefined;
    if (first === '') {
        const suffix = Number(last);
        if (suffix === 0 || size === 0)
            return 'unsatisfiable';
        return { start: Math.max(0, size - suffix), end: size - 1 };
    }
    const start = Number(first);
    const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
    if (start >= size || end < start)
        return 'unsatisfiable';
    return { start, end };
}
//# sourceMappingURL=range.js.map