import type { Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_SOCKET_PATH } from '../../protocol/reload-socket.js';
import { assertAppName } from '../../protocol/app-name.js';
import { CodesyncError } from '../../protocol/errors.js';
import { envOption, parseInteger } from '../options.js';
import { isAgentUnavailable, SocketClient } from '../socket-client.js';

/** How often to knock again while no agent answers on the socket (absent, restarting). */
const RETRY_MS = 500;

interface WaitOptions {
  app: string;
  socket: string;
  timeout: number;
}

export function registerWait(program: Command): void {
  program
    .command('wait')
    .description('Block until this node holds the app (for init containers); prints the path pods serve from.')
    .addOption(envOption('--app <name>', 'app to wait for').makeOptionMandatory())
    .addOption(envOption('--socket <path>', 'the agent\'s node-local socket').default(DEFAULT_SOCKET_PATH))
    .addOption(envOption('--timeout <seconds>', 'give up after this many seconds (exit 1, WAIT_TIMEOUT)').default(300).argParser(parseInteger('timeout')))
    .action(async (options: WaitOptions) => {
      assertAppName(options.app);
      const client = new SocketClient(options.socket);
      try {
        const path = await waitForApp(client, options.app, options.timeout);
        process.stdout.write(`${path}\n`);
      } finally {
        await client.close();
      }
    });
}

/**
 * Long-polls the agent until the app is present. A missing socket or a refused or reset connection
 * (the agent not started yet, or restarting) is retried until the deadline, not reported.
 */
async function waitForApp(client: SocketClient, app: string, timeoutSeconds: number): Promise<string> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let unreachable: unknown;
  for (;;) {
    const remainingMs = deadline - Date.now();
    try {
      const state = await client.waitFor(app, Math.max(0, remainingMs) / 1000, AbortSignal.timeout(Math.max(0, remainingMs) + 10_000));
      if (state) return state.path;
      unreachable = undefined;
    } catch (err) {
      if (!isAgentUnavailable(err)) throw err;
      unreachable = err;
    }
    const leftMs = deadline - Date.now();
    if (leftMs <= 0) throw timedOut(app, timeoutSeconds, client.socketPath, unreachable);
    if (unreachable) await sleep(Math.min(RETRY_MS, leftMs));
  }
}

function timedOut(app: string, timeoutSeconds: number, socketPath: string, unreachable: unknown): CodesyncError {
  const why = unreachable ? `; no agent answered on ${socketPath} (${(unreachable as Error).message})` : '';
  return new CodesyncError('WAIT_TIMEOUT', `app ${app} did not arrive on this node within ${timeoutSeconds} s${why}`);
}
