import { collectReloadUrl } from '../../agent/reload/targets/reload-target-source.js';
import { DEFAULT_SOCKET_PATH } from '../../protocol/reload-socket.js';
import { durationFlag } from '../../protocol/duration.js';
import { caFileOption, serverUrlOption, tokenFileOption } from '../client-flags.js';
import { addOptions } from '../option-table.js';
import { parseInteger, parseListen } from '../options.js';
import { trustKeyOption } from '../trust-key-option.js';
export const agentOptions = {
    server: serverUrlOption,
    root: { flags: '--root <dir>', doc: "directory of the node's trees (objects/, apps/<app>/current), docs/agent.md", required: true },
    node: { flags: '--node <name>', doc: 'node name in reports and pull slots; in a cluster the Node watched', defaultText: '$NODE_NAME, else the hostname outside a cluster' },
    labels: { flags: '--labels <k=v,...>', doc: 'node labels that app nodeSelectors match (outside Kubernetes)', default: '', defaultText: 'none' },
    kubeconfig: { flags: '--kubeconfig <file>', doc: 'talk to the Kubernetes API with this kubeconfig (docs/kubernetes.md)', defaultText: 'in a pod: the service account' },
    labelNodeReady: { flags: '--label-node-ready', doc: 'label the Node codesync.io/<app>=ready for every app present (needs Node patch rights)', default: false },
    pruneAfter: { flags: '--prune-after <duration>', doc: "remove an app's files once the node has not selected it this long; 0 keeps them", default: 86_400_000, defaultText: '24h', bareUnit: 'ms', parse: durationFlag('prune-after', 'ms') },
    listen: { flags: '--listen <host:port>', doc: 'address of /metrics, /healthz, /readyz', default: parseListen(':7401'), defaultText: ':7401', parse: parseListen },
    keepReleases: { flags: '--keep-releases <n>', doc: 'release trees kept per app, current included', default: 3, parse: parseInteger('keep-releases', 1) },
    tokenFile: tokenFileOption,
    caFile: caFileOption,
    verifyInterval: { flags: '--verify-interval <duration>', doc: 'how often every current tree is re-hashed; 0 turns it off', default: 600_000, defaultText: '10m', bareUnit: 'ms', parse: durationFlag('verify-interval', 'ms') },
    socket: { flags: '--socket <path>', doc: 'node-local reload socket for pods', default: DEFAULT_SOCKET_PATH },
    noSocket: { flags: '--no-socket', doc: 'do not serve the reload socket' },
    socketGroup: { flags: '--socket-group <name|gid>', doc: 'group given the socket file (mode 0660), so pods running in it may connect', defaultText: "the agent's group" },
    reloadUrl: { flags: '--reload-url <app=url>', doc: 'POST this URL after each switch of the app (repeatable)', env: false, parse: collectReloadUrl },
    trustKey: trustKeyOption,
};
export function registerAgent(program) {
    const command = program
        .command('agent')
        .description('Run the node agent: hold every app whose nodeSelector matches this node, switch releases atomically, tell pods to reload.');
    addOptions(command, agentOptions).action(async (flags) => (await import('../actions/agent.js')).runAgentCommand(flags));
}
//# sourceMappingURL=agent.js.map