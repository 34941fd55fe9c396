import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import Rsync from 'rsync';
import { CodesyncError } from '../../protocol/errors.js';
import { rsyncFailure } from './rsync-exit.js';
/** The executable spawned; a server without rsync fails its imports with IMPORT_FAILED. */
export const RSYNC_EXECUTABLE = 'rsync';
/** Skipped names kept for the log; the count is always exact. */
const SKIPPED_NAMES_KEPT = 100;
/** stderr kept for the error message: rsync ends with the line that matters. */
const STDERR_KEPT_BYTES = 16 * 1024;
const ITEMIZED = /^(?:[<>ch.][fdLDS]\S{9}|\*deleting)\s/;
const SKIPPED = /^skipping non-regular file "(.*)"$/;
/**
 * One rsync pass from the daemon into the mirror: `-a --delete` so only what changed moves,
 * without owners, groups, devices or specials (a release holds none; rsync names each one it
 * skips). The rsync npm wrapper builds the argument list; it is spawned as argv, never through a
 * shell, with a minimal environment: no RSYNC_RSH, RSYNC_CONNECT_PROG or password of the server's
 * own environment reaches it.
 */
export async function rsyncPass(options) {
    options.signal.throwIfAborted();
    const command = new Rsync()
        .executable(RSYNC_EXECUTABLE)
        .flags('a')
        .set('no-owner')
        .set('no-group')
        .set('no-devices')
        .set('no-specials')
        .set('delete')
        .set('itemize-changes')
        .set('stats')
        .set('no-motd')
        // Compare mtimes to the nanosecond: by default rsync compares whole seconds, and a
        // same-size rewrite within the second of the last pass would look unchanged.
        .set('modify-window', '-1')
        .set('timeout', String(options.timeoutSeconds))
        .set('contimeout', String(options.connectTimeoutSeconds))
        .source(options.source.url)
        .destination(options.dest);
    const args = command.args();
    // The wrapper escapes for a shell; every value here is from an allow-list that needs no
    // escaping, so an argument it changed means a value slipped past the rules: refuse, never run.
    const expected = [options.source.url, options.dest];
    if (!expected.every((value) => args.includes(value)) || args.some((arg) => /["'\\`$\s]/.test(arg))) {
        throw new CodesyncError('INTERNAL', 'refusing to run rsync: an argument would need shell escaping');
    }
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', RSYNC_PASSWORD: options.password ?? '' };
    const child = spawn(RSYNC_EXECUTABLE, args, { cwd: options.cwd, env, shell: false, stdio: ['ignore', 'pipe', 'pipe'] });
    const abort = () => child.kill('SIGTERM');
    options.signal.addEventListener('abort', abort, { once: true });
    const result = { changes: 0, skipped: 0, skippedNames: [], bytesReceived: 0 };
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr = (stderr + chunk).slice(-STDERR_KEPT_BYTES)));
    createInterface({ input: child.stdout }).on('line', (line) => {
        const skipped = SKIPPED.exec(line);
        if (skipped) {
            if (result.skipped++ < SKIPPED_NAMES_KEPT)
                result.skippedNames.push(skipped[1]);
        }
        else if (ITEMIZED.test(line)) {
            result.changes++;
        }
        else {
            const received = /^Total bytes received: ([\d,.]+)/.exec(line);
            if (received)
                result.bytesReceived = Number(received[1].replace(/[,.]/g, ''));
        }
    });
    try {
        const [[code, signal]] = await Promise.all([
            once(child, 'exit'),
            once(child.stdout, 'close'),
        ]).catch((err) => {
            if (err.code === 'ENOENT')
                throw new CodesyncError('IMPORT_FAILED', `${RSYNC_EXECUTABLE} is not installed on the server (PATH=${env.PATH})`);
            throw err;
        });
        if (options.signal.aborted)
            throw new CodesyncError('ABORTED', 'import aborted', { cause: options.signal.reason });
        if (code !== 0)
            throw rsyncFailure(code, signal, stderr);
        return result;
    }
    finally {
        options.signal.removeEventListener('abort', abort);
    }
}
//# sourceMappingURL=rsync-runner.js.map