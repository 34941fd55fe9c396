import { CodesyncError } from '../../protocol/errors.js';
/**
 * The whole grammar, anchored, in a strict alphabet. The rsync npm wrapper hands its command to
 * `/bin/sh` and leaves `;`, `|`, `&`, `<`, `>` and `*` unescaped, and the daemon expands glob
 * characters in paths; nothing of the kind can get through here, whatever later runs rsync.
 * A segment never starts with `-` (no option can be smuggled as a path) and is never `.` or `..`.
 */
const NAME = '[A-Za-z0-9_][A-Za-z0-9._-]{0,127}';
const HOST = '[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?';
const SOURCE_RE = new RegExp(`^rsync://(?:(${NAME})@)?(${HOST})(?::([0-9]{1,5}))?/(${NAME})((?:/${NAME})*)/?$`);
const MAX_SOURCE_LENGTH = 1024;
/**
 * Parses `rsync://[user@]host[:port]/module[/path]` or throws INVALID_IMPORT_SOURCE. The message
 * never repeats the source: a source that carries a password must not echo it into a log.
 */
export function parseImportSource(raw) {
    if (typeof raw !== 'string' || raw.length === 0)
        throw invalid('must be a string rsync://[user@]host[:port]/module[/path]');
    if (raw.length > MAX_SOURCE_LENGTH)
        throw invalid(`is longer than ${MAX_SOURCE_LENGTH} characters`);
    if (!raw.startsWith('rsync://'))
        throw invalid('must start with rsync:// (only rsync daemons can be imported from)');
    const authority = raw.slice('rsync://'.length).split('/')[0] ?? '';
    if (/^[^@]*:[^@]*@/.test(authority))
        throw invalid('carries a password: put it in the file the app names as importPasswordFile');
    const match = SOURCE_RE.exec(raw);
    if (!match)
        throw invalid(whyNot(raw));
    const [, user, host, portText, module, rest] = match;
    const segments = rest.split('/').filter(Boolean);
    if ([module, ...segments].some((segment) => /^\.+$/.test(segment)))
        throw invalid("has a '.' or '..' segment");
    const port = portText === undefined ? undefined : Number(portText);
    if (port !== undefined && (port < 1 || port > 65_535))
        throw invalid(`has port ${port}, outside 1-65535`);
    const path = segments.join('/');
    const url = `rsync://${user ? `${user}@` : ''}${host}${port ? `:${port}` : ''}/${module}/${path ? `${path}/` : ''}`;
    return { user, host, port, module, path, url };
}
function whyNot(raw) {
    const bad = [...raw].findIndex((char) => !/[A-Za-z0-9._@:/-]/.test(char));
    if (bad !== -1)
        return `has a character that is not allowed at position ${bad + 1} (U+${raw.codePointAt(bad).toString(16).toUpperCase().padStart(4, '0')}): use letters, digits and . _ - only`;
    return 'is not rsync://[user@]host[:port]/module[/path] (names start with a letter, digit or _; no empty segment)';
}
function invalid(why) {
    return new CodesyncError('INVALID_IMPORT_SOURCE', `import source ${why}`);
}
//# sourceMappingURL=import-source.js.map