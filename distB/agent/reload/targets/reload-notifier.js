import { postReload } from './post-reload.js';
/**
 * After each activation, POSTs to every reload URL of the app and records the outcome as an ack
 * (pod = target name), so a dead URL shows in `codesync status` while the sync itself succeeded.
 * A newer activation of the same app cancels notifications still retrying for the older one.
 * Apps the feed already holds when the notifier starts are not notified again for that seq (an
 * agent that recovers its apps from disk before starting the notifier calls no URL for them).
 */
export function startReloadNotifier(options) {
    const { feed, logger, signal } = options;
    const post = { timeoutMs: options.timeoutMs ?? 5000, retries: options.retries ?? 3, backoffMs: options.backoffMs ?? 500 };
    const inFlight = new Map();
    const notifiedSeq = new Map(feed.apps().map((held) => [held.app, held.seq]));
    const notify = async (activated, controller) => {
        const targets = await options.targets.targetsFor(activated.app);
        await Promise.all(targets.map(async (target) => {
            const outcome = await postReload(target, activated, { ...post, signal: controller.signal });
            const log = { app: activated.app, seq: activated.seq, target: target.name, message: outcome.message };
            if (outcome.ok)
                logger.info(log, 'reload url notified');
            else
                logger.warn(log, 'reload url failed');
            feed.recordAck(activated.app, { pod: target.name, seq: activated.seq, ok: outcome.ok, message: outcome.message });
        }));
    };
    const onActivated = (activated) => {
        if (notifiedSeq.get(activated.app) === activated.seq)
            return;
        notifiedSeq.set(activated.app, activated.seq);
        inFlight.get(activated.app)?.abort();
        const controller = new AbortController();
        inFlight.set(activated.app, controller);
        notify(activated, controller)
            .catch((err) => {
            if (!controller.signal.aborted)
                logger.error({ app: activated.app, seq: activated.seq, err }, 'reload notification failed');
        })
            .finally(() => {
            if (inFlight.get(activated.app) === controller)
                inFlight.delete(activated.app);
        });
    };
    feed.on('activated', onActivated);
    signal.addEventListener('abort', () => {
        feed.off('activated', onActivated);
        for (const controller of inFlight.values())
            controller.abort();
    }, { once: true });
}
//# sourceMappingURL=reload-notifier.js.map