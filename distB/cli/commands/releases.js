import { clientOptions, parseAppName } from '../client-flags.js';
import { addOptions } from '../option-table.js';
export const releasesOptions = {
    ...clientOptions,
    app: { flags: '--app <name>', doc: 'app whose history to show', required: true, parse: parseAppName },
    json: { flags: '--json', doc: "print the server's JSON answer as is", env: false },
};
/** `codesync releases --app A`: the retained history, newest first. */
export function registerReleases(program) {
    const command = program.command('releases').description('the retained releases of an app, newest first: seq, digest, when, meta, what a rollback repeats');
    addOptions(command, releasesOptions).action(async (flags) => (await import('../actions/releases.js')).runReleases(flags));
}
//# sourceMappingURL=releases.js.map