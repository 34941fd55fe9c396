import { MAX_STATUS_WAIT_SECONDS } from '../../protocol/api.js';
import { CodesyncError } from '../../protocol/errors.js';
import { appParam, parseSeq } from '../http/params.js';
import { appStatus } from './app-status.js';
import { rolloutOf } from './rollout.js';
import { waitForRollout } from './rollout-wait.js';
/**
 * `GET /v1/apps/{app}/status[?seq=N][&wait=S][&acks=1]`: the rollout view; with `seq` or `wait`
 * also `rollout`, the state of release N (default the latest) on every node the app selects.
 * `wait` holds the answer up to S seconds (at most MAX_STATUS_WAIT_SECONDS) until that rollout is
 * settled, so `codesync status --wait` follows a rollout without polling.
 */
export async function statusRoute(context, request, reply) {
    const name = appParam(request.params);
    const query = request.query;
    const waitSeconds = query.wait === undefined ? undefined : parseWait(query.wait);
    const acks = query.acks === '1' || query.acks === 'true';
    const status = () => appStatus(name, context.releases.releases(name), context.nodes.all());
    const first = status();
    if (query.seq === undefined && waitSeconds === undefined)
        return first;
    const seq = query.seq === undefined ? first.latest?.seq : parseSeq(query.seq);
    if (seq === undefined)
        throw new CodesyncError('RELEASE_NOT_FOUND', `app ${name} has no release yet to wait for`);
    const compute = () => rolloutOf(name, context.releases.requireApp(name).nodeSelector, seq, context.nodes.all(), acks);
    if (!waitSeconds)
        return { ...first, rollout: compute() };
    const hungUp = new AbortController();
    const onClose = () => hungUp.abort();
    reply.raw.once('close', onClose);
    try {
        const rollout = await waitForRollout(context.nodes, compute, waitSeconds * 1000, AbortSignal.any([hungUp.signal, context.closing]));
        return { ...status(), rollout };
    }
    finally {
        reply.raw.off('close', onClose);
    }
}
function parseWait(value) {
    const seconds = /^\d{1,6}(\.\d+)?$/.test(value) ? Number(value) : NaN;
    if (!Number.isFinite(seconds))
        throw new CodesyncError('INVALID_REQUEST', `wait must be a number of seconds, got ${JSON.stringify(value)}`);
    return Math.min(seconds, MAX_STATUS_WAIT_SECONDS);
}
//# sourceMappingURL=status-route.js.map