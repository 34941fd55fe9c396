import { once } from 'node:events';
import { rolloutSettled } from './rollout.js';
/**
 * Long-poll of `GET /v1/apps/{app}/status?wait=`: computes the rollout after each node report
 * until it is settled (done, failed, no node selected), `waitMs` passes or `signal` aborts (the
 * client hung up, the server is closing); returns the last rollout computed.
 */
export async function waitForRollout(nodes, compute, waitMs, signal) {
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(waitMs)]);
    let rollout = compute();
    while (!rolloutSettled(rollout) && !deadline.aborted) {
        try {
            await once(nodes.changes, 'change', { signal: deadline });
        }
        catch {
            break; // the deadline or the hang-up: answer with what there is
        }
        rollout = compute();
    }
    return rollout;
}
//# sourceMappingURL=rollout-wait.js.map