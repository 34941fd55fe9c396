import { clientOptions, parseAppName } from '../client-flags.js';
import { addOptions } from '../option-table.js';
import { progressOptions } from '../progress.js';
import { rolloutOptions, waitSeqOption } from '../rollout/rollout-flags.js';
export const statusOptions = {
    ...clientOptions,
    app: { flags: '--app <name>', doc: 'show the rollout of this app node by node', parse: parseAppName },
    json: { flags: '--json', doc: "print the server's JSON answer as is", env: false },
    ...rolloutOptions('the release'),
    ...waitSeqOption,
    ...progressOptions,
};
export function registerStatus(program) {
    const command = program.command('status').description('without --app: every app and its latest seq; with --app: which node runs which seq, lag, errors');
    addOptions(command, statusOptions).action(async (flags) => (await import('../actions/status.js')).runStatus(flags));
}
//# sourceMappingURL=status.js.map