import { CodesyncError, isErrorCode } from '../protocol/errors.js';
/** Exit codes of docs/cli.md. */
export const EXIT = { ok: 0, failed: 1, usage: 2 };
/** A usage error: wrong flags or arguments; exits 2. */
export function usageError(message) {
    return new CodesyncError('USAGE', message);
}
/** Prints one clear line to stderr and returns the exit code for it. */
export function reportFailure(err) {
    if (isCommanderError(err))
        return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (err instanceof CodesyncError) {
        const usage = err.code === 'USAGE';
        process.stderr.write(`codesync: ${err.code}: ${err.message}${usage ? '; see --help' : ''}\n`);
        return usage ? EXIT.usage : EXIT.failed;
    }
    const code = err?.code;
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`codesync: ${isErrorCode(code) ? `${code}: ` : ''}${message}\n`);
    if (process.env.CODESYNC_DEBUG && err instanceof Error)
        process.stderr.write(`${err.stack}\n`);
    return EXIT.failed;
}
/**
 * Told by its `commander.*` code, not by class: the reload-hook sidecar reports its failures here
 * without ever loading commander (issue 13, target 7), and commander has already printed the line.
 */
function isCommanderError(err) {
    const { code, exitCode } = (err ?? {});
    return err instanceof Error && typeof code === 'string' && code.startsWith('commander.') && typeof exitCode === 'number';
}
//# sourceMappingURL=fail.js.map