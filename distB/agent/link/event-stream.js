import { createParser } from 'eventsource-parser';
import { CodesyncError, isCodesyncError } from '../../protocol/errors.js';
import { backoffDelay, sleep } from '../../protocol/runtime/backoff.js';
/**
 * Characters the parser may hold for one unfinished line or event (docs/security.md, Bounds):
 * a release event is a few hundred bytes, an `app` event a few KiB. A server sending more without
 * ending it is dropped and reconnected with backoff, so the agent's memory stays flat.
 */
export const MAX_EVENT_CHARS = 1024 * 1024;
/** A stream open this long counts as healthy; one that drops sooner keeps backing off. */
const STABLE_STREAM_MS = 5_000;
/**
 * Follows `GET /v1/events` for as long as `signal` lives: resumes with `Last-Event-ID` after a
 * disconnect and reconnects with exponential backoff and full jitter, so a restarted server is
 * not hit by every node at the same instant.
 */
export class EventStream {
    options;
    lastEventId;
    constructor(options) {
        this.options = options;
    }
    async run(signal) {
        const { log } = this.options;
        let attempt = 0;
        while (!signal.aborted) {
            let opened = false;
            const started = Date.now();
            try {
                await this.follow(signal, () => {
                    opened = true;
                });
                if (!signal.aborted)
                    log.warn('event stream ended; reconnecting');
            }
            catch (err) {
                if (signal.aborted)
                    break;
                log.warn({ code: isCodesyncError(err) ? err.code : undefined, err: err.message, attempt }, 'event stream failed; reconnecting');
            }
            finally {
                if (opened)
                    this.options.handlers.onClose();
            }
            // A stream that stayed up a while was healthy: start the backoff over.
            if (opened && Date.now() - started > STABLE_STREAM_MS)
                attempt = 0;
            const delay = backoffDelay(attempt++, this.options.baseDelayMs ?? 200, this.options.capDelayMs ?? 30_000);
            await sleep(delay, signal).catch(() => { });
        }
    }
    async follow(signal, onOpen) {
        const { client, handlers } = this.options;
        // The client's event-stream idle timeout: three missed heartbeats mean a dead connection.
        const body = await client.events({ lastEventId: this.lastEventId, signal });
        let overflow;
        const parser = createParser({
            maxBufferSize: MAX_EVENT_CHARS,
            onEvent: (message) => {
                if (message.id !== undefined)
                    this.lastEventId = message.id;
                handlers.onEvent(message);
            },
            onError: (error) => {
                if (error.type === 'max-buffer-size-exceeded')
                    overflow = new CodesyncError('BODY_TOO_LARGE', `an event-stream line or event passed ${MAX_EVENT_CHARS} characters without ending: connection dropped`);
            },
        });
        const decoder = new TextDecoder();
        onOpen();
        await handlers.onOpen();
        for await (const chunk of body) {
            if (!overflow)
                parser.feed(decoder.decode(chunk, { stream: true }));
            if (overflow) {
                body.destroy();
                throw overflow;
            }
        }
    }
}
//# sourceMappingURL=event-stream.js.map