import { addOptions } from '../option-table.js';
import { parseListen } from '../options.js';
export const upOptions = {
    data: { flags: '--data <dir>', doc: 'directory for the server store and the agent root', default: '.codesync' },
    listen: { flags: '--listen <host:port>', doc: 'server address', default: parseListen('127.0.0.1:7400'), defaultText: '127.0.0.1:7400', parse: parseListen },
    agentListen: { flags: '--agent-listen <host:port>', doc: 'agent /metrics address', default: parseListen('127.0.0.1:7401'), defaultText: '127.0.0.1:7401', parse: parseListen },
};
export function registerUp(program) {
    const command = program
        .command('up')
        .description('Run a server and one local agent in one process, publish the bundled example app, and show where it landed (Ctrl-C stops).');
    addOptions(command, upOptions).action(async (flags) => (await import('../actions/up.js')).runUp(flags));
}
//# sourceMappingURL=up.js.map