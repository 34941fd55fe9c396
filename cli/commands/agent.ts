import type { Command } from 'commander';
import { collectReloadUrl, type ReloadUrls } from '../../agent/reload/targets/reload-target-source.js';
import { DEFAULT_SOCKET_PATH } from '../../protocol/reload-socket.js';
import { createLogger } from '../logger.js';
import { envOption, parseInteger, parseListen } from '../options.js';
import { usageError } from '../fail.js';
import { caFileOption } from '../client-flags.js';
import { trustKeyOption } from '../trust-key-option.js';

export interface AgentFlags {
  server: string;
  root: string;
  /** Unset: NODE_NAME, else (outside a cluster only) the hostname. */
  node?: string;
  labels: string;
  kubeconfig?: string;
  labelNodeReady: boolean;
  pruneAfter: number;
  listen: { host: string; port: number };
  keepReleases: number;
  tokenFile?: string;
  caFile?: string;
  verifyInterval: number;
  socket: string | false;
  socketGroup?: string;
  reloadUrl?: ReloadUrls;
  /** Public key files releases must be signed by (absent in `codesync up`: none). */
  trustKey?: string[];
}

export function registerAgent(program: Command): void {
  program
    .command('agent')
    .description('Run the node agent: hold every app whose nodeSelector matches this node, switch releases atomically, tell pods to reload.')
    .addOption(envOption('--server <url>', 'release server URL').makeOptionMandatory())
    .addOption(envOption('--root <dir>', 'directory of the node\'s trees (objects/, apps/<app>/current)').makeOptionMandatory())
    .addOption(envOption('--node <name>', 'node name in reports; in a cluster the Node to watch (default: $NODE_NAME, else the hostname outside a cluster)'))
    .addOption(envOption('--labels <k=v,...>', 'node labels that app nodeSelectors match (outside Kubernetes)').default(''))
    .addOption(envOption('--kubeconfig <file>', 'talk to the Kubernetes API with this kubeconfig (in a pod the service account is used without it)'))
    .addOption(envOption('--label-node-ready', 'label the Node codesync.io/<app>=ready for every app present (needs Node patch rights)').default(false))
    .addOption(envOption('--prune-after <duration>', 'remove an app\'s files once the node has not selected it this long (0 keeps them)').default(86_400_000, '24h').argParser(parseDuration))
    .addOption(envOption('--listen <host:port>', 'address of /metrics, /healthz, /readyz').default(parseListen(':7401'), ':7401').argParser(parseListen))
    .addOption(envOption('--keep-releases <n>', 'release trees kept per app, current included').default(3).argParser(parseInteger('keep-releases', 1)))
    .addOption(envOption('--token-file <file>', 'file holding a read-scope bearer token'))
    .addOption(caFileOption())
    .addOption(envOption('--verify-interval <duration>', 'how often every current tree is re-hashed (e.g. 10m, 30s; 0 turns it off)').default(600_000, '10m').argParser(parseDuration))
    .addOption(envOption('--socket <path>', 'node-local reload socket for pods').default(DEFAULT_SOCKET_PATH))
    .option('--no-socket', 'do not serve the reload socket')
    .addOption(envOption('--socket-group <name|gid>', 'group given the socket file (mode 0660), so pods running in it may connect'))
    .option('--reload-url <app=url>', 'POST this URL after each switch of the app (repeatable)', collectReloadUrl)
    .addOption(trustKeyOption())
    .action(async (flags: AgentFlags) => {
      const log = createLogger();
      // Loaded here, not at the top: every `codesync` command would otherwise pay for the agent.
      const { runAgent } = await import('../run-agent.js');
      const { agent, stop } = await runAgent(flags, log);
      await waitForSignal();
      log.info({ node: agent.options.node }, 'stopping');
      await stop();
    });
}

/** `10m`, `30s`, `1h`, `500ms` or plain milliseconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw usageError(`invalid duration ${JSON.stringify(value)}: want e.g. 30s, 10m, 1h`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 'ms'] ?? 1;
  return Math.round(Number(match[1]) * unit);
}

export function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals) => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(signal);
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
