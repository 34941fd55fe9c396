import { parseSelector } from '../protocol/selector.js';
import { usageError } from './fail.js';
/** `host:port`, `:port` or `port` → listen options; `:7401` listens on every address. */
export function parseListen(value) {
    const match = /^(?:\[?([^\]]*?)\]?:)?(\d+)$/.exec(value.trim());
    const port = Number(match?.[2]);
    if (!match || !Number.isInteger(port) || port < 0 || port > 65535)
        throw usageError(`invalid listen address ${JSON.stringify(value)}: want HOST:PORT or :PORT`);
    return { host: match[1] || '0.0.0.0', port };
}
export function parseInteger(name, min = 0) {
    return (value) => {
        // Decimal digits only: Number() would take "" (an empty CODESYNC_* variable) as 0, and 0x10 or 1e3.
        const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
        if (!Number.isSafeInteger(n) || n < min)
            throw usageError(`--${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
        return n;
    };
}
const SIZE_UNITS = { '': 1, b: 1, k: 1e3, kb: 1e3, kib: 1024, m: 1e6, mb: 1e6, mib: 1024 ** 2, g: 1e9, gb: 1e9, gib: 1024 ** 3 };
/** `200MiB`, `50mb`, `1048576` → bytes. */
export function parseBytes(name) {
    return (value) => {
        const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
        const unit = SIZE_UNITS[match?.[2]?.toLowerCase() ?? 'x'];
        if (!match || unit === undefined)
            throw usageError(`--${name} must be a size such as 200MiB, got ${JSON.stringify(value)}`);
        return Math.round(Number(match[1]) * unit);
    };
}
/** Collects a repeatable `k=v` flag into a map. */
export function collectKeyValue(value, previous = {}) {
    const eq = value.indexOf('=');
    if (eq <= 0)
        throw usageError(`expected key=value, got ${JSON.stringify(value)}`);
    return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}
/** Parses `--selector` here, so a typo is a usage error before any request. */
export function parseSelectorFlag(value) {
    try {
        parseSelector(value);
    }
    catch (err) {
        throw usageError(`--selector ${JSON.stringify(value)}: ${err.message}`);
    }
    return value;
}
//# sourceMappingURL=options.js.map