import { DEFAULT_SOCKET_PATH } from '../../protocol/reload-socket.js';
import { durationFlag } from '../../protocol/duration.js';
import { parseAppName } from '../client-flags.js';
import { addOptions } from '../option-table.js';
export const waitOptions = {
    app: { flags: '--app <name>', doc: 'app to wait for', required: true, parse: parseAppName },
    socket: { flags: '--socket <path>', doc: "the agent's node-local socket", default: DEFAULT_SOCKET_PATH },
    timeout: { flags: '--timeout <duration>', doc: 'give up after this long (exit 1, WAIT_TIMEOUT)', default: 300_000, defaultText: '5m', bareUnit: 's', parse: durationFlag('timeout', 's') },
};
export function registerWait(program) {
    const command = program.command('wait').description('Block until this node holds the app (for init containers); prints the path pods serve from.');
    addOptions(command, waitOptions).action(async (flags) => (await import('../actions/wait.js')).runWait(flags));
}
//# sourceMappingURL=wait.js.map