import { createParser } from 'eventsource-parser';
import { waitFor, WAIT_LIMIT_MS } from '../helpers/wait-for.js';
/** A test's view of one `GET /v1/events` stream: events and comments as they arrive. */
export class EventStream {
    response;
    events = [];
    comments = [];
    ended = false;
    controller = new AbortController();
    done;
    constructor(response) {
        this.response = response;
        const parser = createParser({
            onEvent: (event) => this.events.push(event),
            onComment: (comment) => this.comments.push(comment),
        });
        this.done = (async () => {
            try {
                const decoder = new TextDecoder();
                for await (const chunk of this.response.body)
                    parser.feed(decoder.decode(chunk, { stream: true }));
            }
            catch {
                // aborted by the test or cut by the server
            }
            this.ended = true;
        })();
    }
    static async open(url, headers = {}) {
        const controller = new AbortController();
        const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
        if (response.status !== 200)
            throw new Error(`events: ${response.status} ${await response.text()}`);
        const stream = new EventStream(response);
        stream.controller.signal.addEventListener('abort', () => controller.abort());
        return stream;
    }
    /** Resolves once `predicate` holds for what has arrived. */
    until(predicate, timeoutMs = WAIT_LIMIT_MS) {
        return waitFor('events on the stream', () => predicate(this), timeoutMs, { detail: () => `events so far: ${JSON.stringify(this.events)}` });
    }
    close() {
        this.controller.abort();
    }
}
//# sourceMappingURL=sse-client.js.map