/**
 * Runs `work` over `items` with at most `limit` calls in flight; results keep input order. The
 * first failure (or `signal` aborting) stops new work and is thrown once the calls under way have
 * settled, so nothing the caller cleans up after is still running.
 */
export async function mapLimit(items, limit, work, signal) {
    const results = new Array(items.length);
    let next = 0;
    let failure;
    const worker = async () => {
        while (!failure && next < items.length) {
            const index = next++;
            try {
                signal?.throwIfAborted();
                results[index] = await work(items[index]);
            }
            catch (err) {
                failure ??= { err };
            }
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
    if (failure)
        throw failure.err;
    return results;
}
//# sourceMappingURL=map-limit.js.map