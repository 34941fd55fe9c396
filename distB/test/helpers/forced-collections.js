import { constants, PerformanceObserver } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
/**
 * Counts the full collections a `gc()` call forced (V8 flags them), not the ones V8 runs on its
 * own: those may come at any moment on a loaded machine. Entries arrive after the collection, on
 * a later turn of the event loop, so `count` waits one turn, or `waitMs` where collections happen
 * on timers of their own.
 */
export function forcedCollections(t, waitMs = 0) {
    let forced = 0;
    const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
            const { flags } = entry.detail;
            if ((flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) !== 0)
                forced++;
        }
    });
    observer.observe({ entryTypes: ['gc'] });
    t.teardown(() => observer.disconnect());
    return {
        async count() {
            if (waitMs > 0)
                await sleep(waitMs);
            else
                await new Promise((resolve) => setImmediate(resolve));
            return forced;
        },
    };
}
//# sourceMappingURL=forced-collections.js.map