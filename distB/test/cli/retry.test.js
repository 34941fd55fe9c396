import t from 'tap';
import { isTransient, withRetry } from '../../cli/retry.js';
import { CodesyncError } from '../../protocol/errors.js';
const unreachable = () => new CodesyncError('SERVER_UNREACHABLE', 'connect ECONNREFUSED');
const forever = () => new AbortController().signal;
t.test('isTransient: an unreachable or closing server, nothing else', async (t) => {
    t.equal(isTransient(unreachable()), true);
    t.equal(isTransient(new CodesyncError('SHUTTING_DOWN', 'closing')), true);
    t.equal(isTransient(new CodesyncError('UNAUTHORIZED', 'unknown token')), false);
    t.equal(isTransient(new CodesyncError('INVALID_REQUEST', 'bad tree')), false);
    t.equal(isTransient(new Error('ECONNREFUSED')), false, 'only the protocol\'s codes, not a raw error');
});
t.test('transient failures are retried until the attempt succeeds, each retry announced', async (t) => {
    let calls = 0;
    const retries = [];
    const result = await withRetry(async () => {
        if (++calls < 3)
            throw unreachable();
        return 'published';
    }, { retryTimeoutMs: 60_000, signal: forever(), onRetry: (_err, delayMs) => retries.push(delayMs) });
    t.equal(result, 'published');
    t.equal(calls, 3);
    t.equal(retries.length, 2);
    t.ok(retries[0] >= 0 && retries[0] < 250, `first wait within the 250 ms base (${retries[0]})`);
    t.ok(retries[1] >= 0 && retries[1] < 500, `second within twice that (${retries[1]})`);
});
t.test('a lasting failure fails at once', async (t) => {
    let calls = 0;
    const refused = new CodesyncError('UNAUTHORIZED', 'unknown token');
    await t.rejects(withRetry(async () => {
        calls++;
        throw refused;
    }, { retryTimeoutMs: 60_000, signal: forever() }), refused);
    t.equal(calls, 1);
});
t.test('the retry timeout counts from the first transient failure; the last error is thrown', async (t) => {
    let calls = 0;
    const started = Date.now();
    const waits = [];
    await t.rejects(withRetry(async () => {
        calls++;
        throw unreachable();
    }, { retryTimeoutMs: 300, signal: forever(), onRetry: (_err, delayMs) => waits.push(delayMs) }), { code: 'SERVER_UNREACHABLE' });
    t.ok(calls >= 2, `retried (${calls} attempts)`);
    t.ok(Date.now() - started >= 300, 'not before the timeout');
    t.ok(waits.every((delayMs) => delayMs <= 300), 'no wait goes past the time left');
});
t.test('an abort ends the wait between attempts and is not retried', async (t) => {
    const controller = new AbortController();
    let calls = 0;
    const retrying = withRetry(async () => {
        calls++;
        throw unreachable();
    }, { retryTimeoutMs: 60_000, signal: controller.signal, onRetry: () => controller.abort(new Error('interrupted')) });
    await t.rejects(retrying, { message: 'interrupted' });
    t.equal(calls, 1);
    const aborted = new AbortController();
    aborted.abort(new Error('gone'));
    let later = 0;
    await t.rejects(withRetry(async () => {
        later++;
        throw unreachable();
    }, { retryTimeoutMs: 60_000, signal: aborted.signal }), { code: 'SERVER_UNREACHABLE' }, 'already aborted: the failure itself, no wait');
    t.equal(later, 1);
});
//# sourceMappingURL=retry.test.js.map