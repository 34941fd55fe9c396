import { HeapRelease } from '../protocol/runtime/heap-release.js';
import { sendSlabs } from './store/send-slabs.js';
/** Quiet time after the last request before the server collects what the work left. */
const SETTLE_MS = 2_000;
/** Growth of array buffers since the last lull that makes it a full collection whatever the heap did. */
const BUFFER_SLACK_BYTES = 4 * 1024 * 1024;
/**
 * One full collection once requests settle (protocol/runtime/heap-release.ts): a cold publish or
 * a burst of pulls leaves tens of MB of garbage heap and the upload buffers it points at, which an
 * idle server would hold indefinitely. Every request start and end pushes the collection back, so
 * it runs in a lull, never between the requests of a burst; event streams, which never end,
 * do not hold it off. HeapRelease collects when the heap in use grew; array buffers are counted
 * here too, because a burst of pulls grows them, not the heap (bench/server-memory: 12 -> 23 MiB
 * of them idle after the pulls, heap unchanged). The free send slabs are let go first.
 */
export function collectWhenIdle(app) {
    const release = new HeapRelease();
    let buffersAfter = process.memoryUsage().arrayBuffers;
    let timer;
    const settle = () => {
        sendSlabs.release();
        if (process.memoryUsage().arrayBuffers - buffersAfter > BUFFER_SLACK_BYTES)
            release.settle();
        else
            release.maybeRelease();
        buffersAfter = process.memoryUsage().arrayBuffers;
    };
    const arm = async () => {
        clearTimeout(timer);
        timer = setTimeout(settle, SETTLE_MS).unref();
    };
    app.addHook('onRequest', arm);
    app.addHook('onResponse', arm);
    app.addHook('onClose', async () => clearTimeout(timer));
}
//# sourceMappingURL=idle-collection.js.map