import type { Command } from 'commander';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_SOCKET_PATH } from '../../protocol/reload-socket.js';
import { assertAppName } from '../../protocol/app-name.js';
import { usageError } from '../fail.js';
import { createLogger, type Logger } from '../logger.js';
import { envOption } from '../options.js';
import { commandAction, signalAction, type ReloadAction } from '../reload-hook/reload-action.js';
import { ReloadScheduler } from '../reload-hook/reload-scheduler.js';
import { isAgentUnavailable, SocketClient } from '../socket-client.js';

interface ReloadHookOptions {
  app: string;
  socket: string;
  pod: string;
  debounce: number;
  signal?: string;
  pidFile?: string;
  reloadOnStart: boolean;
}

/** Reconnect delays after the agent goes away: quick at first, so a restart is caught up at once. */
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5000;

export function registerReloadHook(program: Command): void {
  program
    .command('reload-hook')
    .description('Sidecar: after each switch of the app on this node, run CMD (or send --signal to the pid in --pid-file) and ack the result.')
    .argument('[cmd...]', 'command and arguments to run after each switch (no shell); env has CODESYNC_APP, CODESYNC_SEQ, CODESYNC_PATH, CODESYNC_DIGEST')
    .addOption(envOption('--app <name>', 'app whose switches trigger a reload').makeOptionMandatory())
    .addOption(envOption('--socket <path>', 'the agent\'s node-local socket').default(DEFAULT_SOCKET_PATH))
    .addOption(envOption('--pod <name>', 'name this pod acks under').default(process.env.HOSTNAME ?? hostname()))
    .addOption(envOption('--debounce <duration>', 'quiet time before reloading, e.g. 200ms or 1s; a burst of switches reloads once').default(200).argParser(parseDuration))
    .addOption(envOption('--signal <sig>', 'instead of CMD: send this signal (e.g. USR2, HUP) to the pid in --pid-file'))
    .addOption(envOption('--pid-file <file>', 'file holding the pid that --signal goes to'))
    .addOption(envOption('--reload-on-start', 'also reload for the release already active when the hook starts').default(false))
    .action(async (cmd: string[], options: ReloadHookOptions) => {
      assertAppName(options.app);
      const controller = new AbortController();
      for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => controller.abort());
      await runReloadHook(chooseAction(cmd, options), options, createLogger({ name: 'reload-hook' }).child({ app: options.app, pod: options.pod }), controller.signal);
    });
}

function chooseAction(cmd: string[], options: ReloadHookOptions): ReloadAction {
  if (options.signal !== undefined || options.pidFile !== undefined) {
    if (cmd.length > 0) throw usageError('give either a command after -- or --signal with --pid-file, not both');
    if (options.signal === undefined || options.pidFile === undefined) throw usageError('--signal and --pid-file go together');
    return signalAction(options.signal, options.pidFile);
  }
  return commandAction(cmd);
}

/** Follows the agent's events until `signal` aborts, reconnecting across agent restarts. */
async function runReloadHook(action: ReloadAction, options: ReloadHookOptions, logger: Logger, signal: AbortSignal): Promise<void> {
  const client = new SocketClient(options.socket);
  const scheduler = new ReloadScheduler({
    action,
    debounceMs: options.debounce,
    reloadOnStart: options.reloadOnStart,
    onStart: (event) => logger.info({ seq: event.seq, digest: event.digest }, 'reload started'),
    onDone: (event, outcome, durationMs) => {
      const log = { seq: event.seq, ok: outcome.ok, durationMs: Math.round(durationMs), message: outcome.message || undefined };
      if (outcome.ok) logger.info(log, 'reload finished');
      else logger.warn(log, 'reload failed');
      client.ack(options.app, { pod: options.pod, seq: event.seq, ok: outcome.ok, message: outcome.message }, signal).catch((err: unknown) => {
        logger.warn({ seq: event.seq, err: (err as Error).message }, 'could not ack the reload to the agent');
      });
    },
  });
  let failures = 0;
  while (!signal.aborted) {
    try {
      const onOpen = () => {
        failures = 0;
        logger.info({ socket: options.socket }, 'subscribed');
      };
      for await (const event of client.events([options.app], signal, onOpen)) scheduler.offer(event);
    } catch (err) {
      if (signal.aborted) break;
      const log = { socket: options.socket, err: (err as Error).message };
      if (failures === 0) logger.warn(log, isAgentUnavailable(err) ? 'agent unavailable; reconnecting' : 'event stream failed; reconnecting');
      else logger.debug(log, 'reconnect failed');
    }
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** failures++) * (0.5 + Math.random() / 2);
    await sleep(delay, undefined, { signal }).catch(() => {});
  }
  await scheduler.stop();
  await client.close();
}

/** `200ms`, `1s`, `1.5s` or a bare number of milliseconds. */
function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value.trim());
  if (!match) throw usageError(`--debounce must be a duration such as 200ms or 1s, got ${JSON.stringify(value)}`);
  return Math.round(Number(match[1]) * (match[2] === 's' ? 1000 : 1));
}
