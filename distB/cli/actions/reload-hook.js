import { hostname } from 'node:os';
import { usageError } from '../fail.js';
import { createLineLogger } from '../line-logger.js';
import { commandAction, signalAction } from '../reload-hook/reload-action.js';
import { ReloadScheduler } from '../reload-hook/reload-scheduler.js';
import { isAgentUnavailable, SocketClient } from '../socket-client.js';
import { backoffDelay, sleep } from '../../protocol/runtime/backoff.js';
/** Reconnect delays after the agent goes away: quick at first, so a restart is caught up at once. */
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5000;
/** `codesync reload-hook [CMD...]`: runs until SIGTERM or SIGINT. */
export async function runReloadHookCommand(cmd, flags) {
    const options = { ...flags, pod: flags.pod ?? process.env.HOSTNAME ?? hostname() };
    const action = chooseAction(cmd, options);
    const controller = new AbortController();
    for (const sig of ['SIGTERM', 'SIGINT'])
        process.once(sig, () => controller.abort());
    await runReloadHook(action, options, createLineLogger({ name: 'reload-hook' }).child({ app: options.app, pod: options.pod }), controller.signal);
}
function chooseAction(cmd, options) {
    if (options.signal !== undefined || options.pidFile !== undefined) {
        if (cmd.length > 0)
            throw usageError('give either a command after -- or --signal with --pid-file, not both');
        if (options.signal === undefined || options.pidFile === undefined)
            throw usageError('--signal and --pid-file go together');
        return signalAction(options.signal, options.pidFile);
    }
    return commandAction(cmd);
}
/** Follows the agent's events until `signal` aborts, reconnecting across agent restarts. */
async function runReloadHook(action, options, logger, signal) {
    const client = new SocketClient(options.socket);
    const scheduler = new ReloadScheduler({
        action,
        debounceMs: options.debounce,
        reloadOnStart: options.reloadOnStart,
        onStart: (event) => logger.info({ seq: event.seq, digest: event.digest }, 'reload started'),
        onDone: (event, outcome, durationMs) => {
            const log = { seq: event.seq, ok: outcome.ok, durationMs: Math.round(durationMs), message: outcome.message || undefined };
            if (outcome.ok)
                logger.info(log, 'reload finished');
            else
                logger.warn(log, 'reload failed');
            client.ack(options.app, { pod: options.pod, seq: event.seq, ok: outcome.ok, message: outcome.message }, signal).catch((err) => {
                logger.warn({ seq: event.seq, err: err.message }, 'could not ack the reload to the agent');
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
            for await (const event of client.events([options.app], signal, onOpen))
                scheduler.offer(event);
        }
        catch (err) {
            if (signal.aborted)
                break;
            const log = { socket: options.socket, err: err.message };
            if (failures === 0)
                logger.warn(log, isAgentUnavailable(err) ? 'agent unavailable; reconnecting' : 'event stream failed; reconnecting');
            else
                logger.debug(log, 'reconnect failed');
        }
        await sleep(backoffDelay(failures++, RECONNECT_MIN_MS, RECONNECT_MAX_MS), signal).catch(() => { });
    }
    await scheduler.stop();
    await client.close();
}
//# sourceMappingURL=reload-hook.js.map