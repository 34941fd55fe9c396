import { unwatchFile, watchFile } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseTokenFile } from './auth.js';
/** How often the token file's stat is polled. */
const POLL_MS = 1000;
/**
 * Re-reads `--token-list` when it changes, and on `reload()` (SIGHUP), and hands the new tokens
 * to `apply`. Polling the path's stat, not an inotify watch on the file, follows a Kubernetes
 * Secret update (a symlink swapped to a new directory) and an editor's rename alike. A file that
 * does not parse, or holds no token, is logged and ignored: the server keeps the tokens it has.
 */
export function watchTokenFile(file, apply, logger) {
    const log = logger.child({ tokenFile: file });
    let reading = Promise.resolve();
    const reload = (reason) => {
        reading = reading.then(async () => {
            try {
                const tokens = parseTokenFile(await readFile(file, 'utf8'));
                apply(tokens);
                log.info({ reason, publish: tokens.publish.length, read: tokens.read.length }, 'tokens reloaded');
            }
            catch (err) {
                log.error({ reason, err: err.message }, 'token file not reloaded; the server keeps its tokens');
            }
        });
        return reading;
    };
    const onChange = (now, before) => {
        if (now.mtimeMs === before.mtimeMs && now.ino === before.ino && now.size === before.size)
            return;
        void reload('changed');
    };
    watchFile(file, { interval: POLL_MS, persistent: false }, onChange);
    return { reload, close: () => unwatchFile(file, onChange) };
}
//# sourceMappingURL=token-file.js.map