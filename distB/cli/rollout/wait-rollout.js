import { MAX_STATUS_WAIT_SECONDS } from '../../protocol/api.js';
import { CodesyncError } from '../../protocol/errors.js';
import { RETRY_TIMEOUT_DEFAULT_MS, withRetry } from '../retry.js';
/**
 * Follows the rollout of a release through the server's status long-poll until every node the
 * app selects runs it or a later seq (with `acks`, and its pods acked it). Resolves with the
 * finished rollout; fails with NO_NODES_SELECTED when the selector picks no node (a mistyped
 * selector must not pass CI), ROLLOUT_FAILED when a pod's reload failed, ROLLOUT_TIMEOUT naming
 * the nodes not there yet with their errors.
 */
export async function waitForRollout(client, options) {
    const { app, acks, signal, progress } = options;
    const deadline = Date.now() + options.timeoutMs;
    let seq = options.seq;
    for (;;) {
        const leftMs = deadline - Date.now();
        const waitSeconds = Math.max(0, Math.min(MAX_STATUS_WAIT_SECONDS, Math.ceil(leftMs / 1000)));
        const status = await withRetry(() => client.appStatus(app, signal, { seq, waitSeconds, acks }), { retryTimeoutMs: options.retryTimeoutMs ?? RETRY_TIMEOUT_DEFAULT_MS, signal });
        const rollout = status.rollout;
        if (!rollout)
            throw new CodesyncError('SERVER_ERROR', 'the server answered the status request without a rollout; it predates `status --wait`');
        seq = rollout.seq;
        if (rollout.selected === 0) {
            throw new CodesyncError('NO_NODES_SELECTED', `no node is selected for app ${app}: no reporting node's labels match its selector; check it with \`codesync apps list\``);
        }
        progress?.line(`${app} seq ${seq}: ${rollout.done}/${rollout.selected} nodes${acks ? ' acked' : ''}${pendingNote(rollout)}`);
        if (rollout.complete)
            return rollout;
        if (rollout.failed)
            throw new CodesyncError('ROLLOUT_FAILED', `rollout of ${app} seq ${seq} failed: ${describe(rollout, (node) => node.state === 'failed')}`, { details: { rollout } });
        if (Date.now() >= deadline) {
            throw new CodesyncError('ROLLOUT_TIMEOUT', `rollout of ${app} seq ${seq} not done after ${Math.round(options.timeoutMs / 1000)} s (${rollout.done}/${rollout.selected} nodes): ${describe(rollout, (node) => node.state !== 'done')}`, {
                details: { rollout },
            });
        }
    }
}
/** `node-b (seq 3, DISK_FULL: ...)` for each node the filter keeps. */
function describe(rollout, keep) {
    return rollout.nodes
        .filter(keep)
        .map((node) => `${node.node} (${node.seq > 0 ? `runs seq ${node.seq}` : 'holds no release'}${node.error ? `: ${node.error}` : ''}; last report ${node.lastReportAt})`)
        .join(', ');
}
/** `, waiting for node-b (DISK_FULL...)` while few nodes are left; a big fleet gets the count alone. */
function pendingNote(rollout) {
    const pending = rollout.nodes.filter((node) => node.state !== 'done');
    if (pending.length === 0 || pending.length > 3)
        return '';
    return `; waiting for ${pending.map((node) => (node.error ? `${node.node} (${node.error})` : node.node)).join(', ')}`;
}
//# sourceMappingURL=wait-rollout.js.map