import { setTimeout as sleep } from 'node:timers/promises';
import { CodesyncError } from '../../protocol/errors.js';
import { isAgentUnavailable, SocketClient } from '../socket-client.js';
/** How often to knock again while no agent answers on the socket (absent, restarting). */
const RETRY_MS = 500;
/** `codesync wait`: prints the app's path once this node holds it. */
export async function runWait(flags) {
    const client = new SocketClient(flags.socket);
    try {
        const path = await waitForApp(client, flags.app, flags.timeout);
        process.stdout.write(`${path}\n`);
    }
    finally {
        await client.close();
    }
}
/**
 * Long-polls the agent until the app is present. A missing socket or a refused or reset connection
 * (the agent not started yet, or restarting) is retried until the deadline, not reported.
 */
async function waitForApp(client, app, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    let unreachable;
    for (;;) {
        const remainingMs = deadline - Date.now();
        try {
            const state = await client.waitFor(app, Math.max(0, remainingMs) / 1000, AbortSignal.timeout(Math.max(0, remainingMs) + 10_000));
            if (state)
                return state.path;
            unreachable = undefined;
        }
        catch (err) {
            if (!isAgentUnavailable(err))
                throw err;
            unreachable = err;
        }
        const leftMs = deadline - Date.now();
        if (leftMs <= 0)
            throw timedOut(app, timeoutMs, client.socketPath, unreachable);
        if (unreachable)
            await sleep(Math.min(RETRY_MS, leftMs));
    }
}
function timedOut(app, timeoutMs, socketPath, unreachable) {
    const why = unreachable ? `; no agent answered on ${socketPath} (${unreachable.message})` : '';
    return new CodesyncError('WAIT_TIMEOUT', `app ${app} did not arrive on this node within ${timeoutMs / 1000} s${why}`);
}
//# sourceMappingURL=wait.js.map