import { clientOptions, parseAppName } from '../client-flags.js';
import { usageError } from '../fail.js';
import { addOptions } from '../option-table.js';
export const rollbackOptions = {
    ...clientOptions,
    app: { flags: '--app <name>', doc: 'app to roll back', required: true, parse: parseAppName },
    to: { flags: '--to <seq|key=value>', doc: 'seq whose tree to publish again, or a meta match such as commit=abc123', defaultText: 'the release before the latest', env: false, parse: parseTarget },
};
export function registerRollback(program) {
    const command = program.command('rollback').description("publish an older release's tree again as a new seq (default: the release before the latest)");
    addOptions(command, rollbackOptions).action(async (flags) => (await import('../actions/rollback.js')).runRollback(flags));
}
function parseTarget(value) {
    if (/^\d+$/.test(value) && Number(value) >= 1)
        return { seq: Number(value) };
    const match = /^([^=\s]+)=(.+)$/.exec(value);
    if (!match)
        throw usageError(`--to ${JSON.stringify(value)}: want a seq (42) or a meta match (commit=abc123)`);
    return { key: match[1], value: match[2] };
}
//# sourceMappingURL=rollback.js.map