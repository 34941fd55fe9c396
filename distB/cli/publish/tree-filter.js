import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CodesyncError } from '../../protocol/errors.js';
/** The file at a tree's root whose gitignore patterns keep paths out of every publish of it. */
export const IGNORE_FILE = '.codesyncignore';
/**
 * The filter of `.codesyncignore` at `root` (if any) plus `--exclude` patterns, both in gitignore
 * syntax as the `ignore` library (the one eslint and prettier use) reads it. The ignore file
 * itself is left out too: it configures the publish, it is not part of the code.
 */
export function loadTreeFilter(root, patterns = []) {
    let text;
    try {
        text = readFileSync(join(root, IGNORE_FILE), 'utf8');
    }
    catch (err) {
        if (err.code !== 'ENOENT')
            throw new CodesyncError('USAGE', `cannot read ${join(root, IGNORE_FILE)}: ${err.message}`);
    }
    // Without patterns the only path left out is the ignore file itself: a string compare instead
    // of the matcher, which costs microseconds a path (a third of a 10 000-file walk).
    if (text === undefined && patterns.length === 0)
        return { excludes: (path) => path === IGNORE_FILE };
    // Loaded only here, synchronously (a watch reloads the filter inside a change event): a tree
    // without patterns, the usual CI publish, never pays for loading the matcher.
    const ignore = createRequire(import.meta.url)('ignore');
    const matcher = ignore().add(`/${IGNORE_FILE}`);
    if (text !== undefined)
        matcher.add(text);
    matcher.add([...patterns]);
    return { excludes: (path, isDir) => matcher.ignores(isDir ? `${path}/` : path) };
}
//# sourceMappingURL=tree-filter.js.map