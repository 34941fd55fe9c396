import { CodesyncError } from '../../protocol/errors.js';
/**
 * What an rsync exit code (rsync(1), EXIT VALUES) means for an import, as a CodesyncError.
 * `stderr` tells apart the causes rsync folds into one code (5: unknown module, auth, busy daemon).
 * Pure logic, so every branch is tested without a daemon.
 */
export function rsyncFailure(exitCode, signal, stderr) {
    const detail = lastErrorLine(stderr);
    const said = detail ? `: ${detail}` : '';
    const fail = (code, message) => new CodesyncError(code, message, { details: { rsyncExitCode: exitCode } });
    if (exitCode === null)
        return fail('IMPORT_INTERRUPTED', `rsync was killed by ${signal ?? 'a signal'}${said}`);
    switch (exitCode) {
        case 5:
            if (/unknown module/i.test(stderr))
                return fail('IMPORT_MODULE_NOT_FOUND', `the rsync daemon has no such module${said}`);
            if (/auth failed|password/i.test(stderr))
                return fail('IMPORT_AUTH_FAILED', `the rsync daemon refused the credentials${said}`);
            if (/max connections/i.test(stderr))
                return fail('IMPORT_UNREACHABLE', `the rsync daemon is busy${said}`);
            return fail('IMPORT_FAILED', `the rsync daemon refused the session (rsync exit 5)${said}`);
        case 10:
            return fail('IMPORT_UNREACHABLE', `cannot reach the rsync daemon${said}`);
        case 30:
        case 35:
            return fail('IMPORT_TIMEOUT', `the rsync daemon did not answer in time (rsync exit ${exitCode})${said}`);
        case 23:
            return fail('IMPORT_PARTIAL', `rsync could not transfer every file (rsync exit 23)${said}`);
        case 24:
            return fail('IMPORT_UNSTABLE', `files vanished on the release host during the transfer: it is being written (rsync exit 24)${said}`);
        case 12:
        case 20:
            return fail('IMPORT_INTERRUPTED', `the transfer broke off (rsync exit ${exitCode})${said}`);
        default:
            return fail('IMPORT_FAILED', `rsync failed with exit code ${exitCode}${said}`);
    }
}
/** The most telling line rsync printed: the daemon's `@ERROR`, else the last `rsync:` line. */
function lastErrorLine(stderr) {
    const lines = stderr.split('\n').map((line) => line.trim()).filter(Boolean);
    const daemon = lines.find((line) => line.includes('@ERROR'));
    if (daemon)
        return daemon.slice(daemon.indexOf('@ERROR')).slice(0, 300);
    const cause = lines.filter((line) => line.startsWith('rsync:')).at(-1) ?? lines.at(-1) ?? '';
    return cause.slice(0, 300);
}
//# sourceMappingURL=rsync-exit.js.map