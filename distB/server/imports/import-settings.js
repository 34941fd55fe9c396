import { parseDuration } from '../../protocol/duration.js';
import { CodesyncError } from '../../protocol/errors.js';
import { pathProblem } from '../../protocol/paths.js';
import { parseImportSource } from './import-source.js';
const PASSWORD_FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,254}$/;
/**
 * Checks the import settings of an app spec, so a bad one fails `PUT /v1/apps/{app}` instead of
 * every poll. An empty string clears a setting and is always accepted.
 */
export function assertImportSettings(settings) {
    if (settings.importSource)
        parseImportSource(settings.importSource);
    if (settings.importInterval)
        parseDuration(settings.importInterval, 'importInterval');
    if (settings.importMarker) {
        const problem = pathProblem(settings.importMarker);
        if (problem)
            throw new CodesyncError('INVALID_REQUEST', `importMarker must be a path inside the source: it ${problem}`);
    }
    const name = settings.importPasswordFile;
    if (name && !PASSWORD_FILE_NAME.test(name)) {
        throw new CodesyncError('INVALID_REQUEST', "importPasswordFile must be a plain file name (letters, digits, . _ -, not starting with .) in the server's --import-password-dir");
    }
}
/** Milliseconds between polls of an app's source; 0 when the app is imported on request only. */
export function importIntervalMs(settings) {
    return settings.importSource && settings.importInterval ? parseDuration(settings.importInterval, 'importInterval') : 0;
}
//# sourceMappingURL=import-settings.js.map