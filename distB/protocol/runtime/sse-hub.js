/**
 * Fans Server-Sent Events out to open responses, for the server's `GET /v1/events` and the node
 * socket's. Each frame is formatted once and one shared timer sends the heartbeat, so many
 * subscribers cost a socket each and no timers. Writes never wait for a subscriber: one whose
 * unread bytes pass the bound is cut off, and catches up when it reconnects.
 */
export class SseHub {
    options;
    subscribers = new Set();
    heartbeat;
    constructor(options) {
        this.options = options;
    }
    get size() {
        return this.subscribers.size;
    }
    /** Registers a response whose headers are sent; it leaves the hub when its connection closes. */
    add(response, apps) {
        const subscriber = { response, apps };
        this.subscribers.add(subscriber);
        this.options.onCountChange?.(this.subscribers.size);
        response.once('close', () => this.remove(subscriber));
        this.heartbeat ??= setInterval(() => this.broadcast(`: ${this.options.heartbeatComment}\n\n`, () => true), this.options.heartbeatMs).unref();
    }
    /** Sends `frame` to every subscriber following `app`. */
    publish(app, frame) {
        this.broadcast(frame, (subscriber) => follows(subscriber, app));
    }
    /** Subscribers that receive events of `app`. */
    count(app) {
        let n = 0;
        for (const subscriber of this.subscribers)
            if (follows(subscriber, app))
                n++;
        return n;
    }
    /** Apps named by at least one subscriber. */
    followedApps() {
        const apps = new Set();
        for (const subscriber of this.subscribers)
            for (const app of subscriber.apps ?? [])
                apps.add(app);
        return apps;
    }
    /** Ends every stream (shutdown): clients reconnect elsewhere or later and catch up. */
    closeAll() {
        clearInterval(this.heartbeat);
        this.heartbeat = undefined;
        for (const subscriber of this.subscribers)
            subscriber.response.end();
    }
    broadcast(frame, wants) {
        for (const subscriber of this.subscribers) {
            if (!wants(subscriber))
                continue;
            if (subscriber.response.writableLength > this.options.maxBufferedBytes) {
                this.remove(subscriber);
                subscriber.response.destroy();
            }
            else {
                subscriber.response.write(frame);
            }
        }
    }
    remove(subscriber) {
        if (this.subscribers.delete(subscriber))
            this.options.onCountChange?.(this.subscribers.size);
    }
}
function follows(subscriber, app) {
    return !subscriber.apps || subscriber.apps.size === 0 || subscriber.apps.has(app);
}
/** One SSE frame: `id:` (when given), `event:` and one `data:` line of JSON. */
export function sseFrame(event, data, id) {
    return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
//# sourceMappingURL=sse-hub.js.map