import { backoffDelay, sleep } from '../../../protocol/runtime/backoff.js';
/** Longest wait between two attempts, however many retries are asked for. */
const MAX_BACKOFF_MS = 30_000;
/** Bytes of a failing target's answer kept in the ack message. */
const MAX_ANSWER_CHARS = 512;
/**
 * POSTs `{app, seq, digest, path}` to the target until it answers 2xx or the retries run out.
 * Never rejects except on abort: a dead target is an outcome, never a sync failure.
 */
export async function postReload(target, activated, options) {
    const body = JSON.stringify({ app: activated.app, seq: activated.seq, digest: activated.digest, path: activated.path });
    let last = { message: 'not attempted', retryable: true };
    for (let attempt = 0; attempt <= options.retries; attempt++) {
        if (attempt > 0)
            await sleep(backoffDelay(attempt - 1, options.backoffMs, MAX_BACKOFF_MS), options.signal);
        options.signal.throwIfAborted();
        last = await attemptPost(target.url, body, options);
        if (last.message.startsWith('HTTP 2'))
            return { ok: true, message: last.message };
        if (!last.retryable)
            break;
    }
    return { ok: false, message: `${last.message} (${target.url})` };
}
async function attemptPost(url, body, options) {
    try {
        // undici (~130 modules) loads on the first reload, not at every agent's start.
        const { request } = await import('undici');
        const response = await request(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
            signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]),
        });
        const answer = (await response.body.text()).trim().slice(0, MAX_ANSWER_CHARS);
        const status = response.statusCode;
        return { message: `HTTP ${status}${answer ? `: ${answer}` : ''}`, retryable: status >= 500 || status === 408 || status === 429 };
    }
    catch (err) {
        options.signal.throwIfAborted();
        const error = err;
        return { message: error.name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : `${error.code ?? error.name}: ${error.message}`, retryable: true };
    }
}
//# sourceMappingURL=post-reload.js.map