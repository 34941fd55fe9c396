import { backoffDelay, sleep } from '../../protocol/runtime/backoff.js';
/**
 * List, then watch from the list's resourceVersion with bookmarks, as client-go's reflector does:
 * a watch that ends resumes from the last resourceVersion seen (so nothing is missed), a 410 Gone
 * (as the HTTP status or an ERROR event) forces a relist, and failures reconnect with exponential
 * backoff and full jitter, so an API server coming back is not hit by every node at once. Nothing
 * known is forgotten while the API is away: handlers only hear of lists and events that arrived.
 */
export class Reflector {
    options;
    constructor(options) {
        this.options = options;
    }
    /** Runs until `signal` aborts; never rejects otherwise. `listed` resolves after the first list. */
    async run(signal, listed) {
        const { handlers, what } = this.options;
        const { log } = this.options.settings;
        let resourceVersion = '';
        let attempt = 0;
        while (!signal.aborted) {
            if (!resourceVersion) {
                try {
                    const list = await this.options.list(signal);
                    resourceVersion = list.metadata?.resourceVersion ?? '';
                    handlers.replace(list.items);
                    listed?.();
                    attempt = 0;
                }
                catch (err) {
                    if (signal.aborted)
                        break;
                    handlers.failed('list', err);
                    log.warn({ what, err: describe(err) }, 'kubernetes list failed; keeping what was known, retrying');
                    await sleep(backoffDelay(attempt++, this.options.settings.backoffBaseMs ?? 500, this.options.settings.backoffCapMs ?? 30_000), signal).catch(() => { });
                    continue;
                }
            }
            const outcome = await this.watchOnce(resourceVersion, signal);
            if (signal.aborted)
                break;
            resourceVersion = outcome.gone ? '' : outcome.resourceVersion;
            if (outcome.gone) {
                log.info({ what }, 'kubernetes watch expired (410 Gone); relisting');
                continue;
            }
            if (outcome.received > 0)
                attempt = 0;
            if (outcome.error === undefined)
                continue;
            handlers.failed('watch', outcome.error);
            log.warn({ what, err: describe(outcome.error) }, 'kubernetes watch failed; keeping what was known, reconnecting');
            await sleep(backoffDelay(attempt++, this.options.settings.backoffBaseMs ?? 500, this.options.settings.backoffCapMs ?? 30_000), signal).catch(() => { });
        }
    }
    /** One watch request, until the server ends it, it fails, or it goes silent past its timeout. */
    watchOnce(resourceVersion, signal) {
        const { handlers } = this.options;
        const base = this.options.settings.watchTimeoutSeconds ?? 300;
        const timeoutSeconds = Math.floor(base + Math.random() * base);
        const started = Date.now();
        const outcome = { resourceVersion, gone: false, received: 0 };
        return new Promise((resolve) => {
            let request;
            let settled = false;
            const finish = (error) => {
                if (settled)
                    return;
                settled = true;
                clearTimeout(watchdog);
                signal.removeEventListener('abort', onAbort);
                request?.abort();
                if (error !== undefined && !outcome.gone)
                    outcome.error = error;
                resolve(outcome);
            };
            const onAbort = () => finish();
            // The server ends the watch after timeoutSeconds (bookmarks arrive meanwhile); a connection
            // that stays silent well past that is dead without having said so (a NAT or proxy dropped it).
            const watchdog = setTimeout(() => finish(new Error(`watch silent for ${timeoutSeconds + 30} s`)), (timeoutSeconds + 30) * 1000);
            signal.addEventListener('abort', onAbort, { once: true });
            const onEvent = (type, object) => {
                outcome.received++;
                if (type === 'ERROR') {
                    if (object.code === 410)
                        outcome.gone = true;
                    finish(new Error(`watch ERROR event: ${object.code ?? '?'} ${object.message ?? ''}`.trim()));
                    return;
                }
                const version = object.metadata?.resourceVersion;
                if (version)
                    outcome.resourceVersion = version;
                if (type === 'ADDED' || type === 'MODIFIED')
                    handlers.upsert(object);
                else if (type === 'DELETED')
                    handlers.deleted(object);
            };
            const onDone = (err) => {
                if (err?.statusCode === 410)
                    outcome.gone = true;
                // A watch the server closed at once, with nothing in it, is a failure in disguise: back off.
                if (!err && outcome.received === 0 && Date.now() - started < 1000)
                    return finish(new Error('watch closed at once'));
                finish(err ?? undefined);
            };
            const query = { fieldSelector: this.options.fieldSelector, resourceVersion, allowWatchBookmarks: true, timeoutSeconds };
            this.options.settings.client.watch
                .watch(this.options.path, query, onEvent, onDone)
                .then((controller) => {
                request = controller;
                if (settled)
                    controller.abort();
            })
                .catch((err) => finish(err));
        });
    }
}
/** One line for logs: the HTTP status of an API error, or the error's message. */
export function describe(err) {
    const error = err;
    const status = typeof error.statusCode === 'number' ? error.statusCode : typeof error.code === 'number' ? error.code : undefined;
    const code = error.cause?.code ?? (typeof error.code === 'string' ? error.code : undefined);
    return [status ? `HTTP ${status}` : undefined, code, error.message?.split('\n')[0]].filter(Boolean).join(': ');
}
//# sourceMappingURL=reflector.js.map