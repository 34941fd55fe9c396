import { DEFAULT_SOCKET_PATH } from '../../protocol/reload-socket.js';
import { durationFlag } from '../../protocol/duration.js';
import { parseAppName } from '../client-flags.js';
/**
 * `codesync reload-hook`'s options, apart from its commander registration: the sidecar reads them
 * with cli/plain-argv.ts and never loads commander (issue 13, target 7).
 */
export const reloadHookOptions = {
    app: { flags: '--app <name>', doc: 'app whose switches trigger a reload', required: true, parse: parseAppName },
    socket: { flags: '--socket <path>', doc: "the agent's node-local socket", default: DEFAULT_SOCKET_PATH },
    pod: { flags: '--pod <name>', doc: 'name this pod acks under', defaultText: '$HOSTNAME, else the host name' },
    debounce: { flags: '--debounce <duration>', doc: 'quiet time before reloading; a burst of switches reloads once', default: 200, defaultText: '200ms', bareUnit: 'ms', parse: durationFlag('debounce', 'ms') },
    signal: { flags: '--signal <sig>', doc: 'instead of CMD: send this signal (e.g. USR2, HUP) to the pid in --pid-file' },
    pidFile: { flags: '--pid-file <file>', doc: 'file holding the pid that --signal goes to' },
    reloadOnStart: { flags: '--reload-on-start', doc: 'also reload for the release already active when the hook starts', default: false },
};
//# sourceMappingURL=reload-hook-options.js.map