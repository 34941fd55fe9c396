import { randomBytes } from 'node:crypto';
import { describe } from './reflector.js';
const REPORTING_COMPONENT = 'codesync-agent';
/** An aggregate not repeated for this long starts a new Event (the API server drops Events after ~1 h anyway). */
const AGGREGATE_TTL_MS = 10 * 60_000;
/**
 * core/v1 Events, aggregated and rate-limited the way `kubectl describe` expects: the first
 * occurrence creates an Event, repeats of the same (object, reason, about) raise its `count` and
 * `lastTimestamp` with a PATCH at most once per `minIntervalMs`, and a token bucket caps writes
 * across all Events, so a retry loop never becomes one Event per retry nor floods the API server.
 * Events are best-effort: a failed write is logged and counted, never retried beyond the next repeat.
 */
export class EventRecorder {
    options;
    aggregates = new Map();
    tokens;
    refilledAt = Date.now();
    constructor(options) {
        this.options = options;
        this.tokens = options.burst ?? 25;
    }
    record(record) {
        const key = [record.object.kind, record.object.namespace ?? '', record.object.name, record.reason, record.about].join('\0');
        const now = new Date();
        let aggregate = this.aggregates.get(key);
        if (aggregate && now.getTime() - aggregate.last.getTime() > AGGREGATE_TTL_MS) {
            clearTimeout(aggregate.timer);
            aggregate = undefined;
        }
        if (!aggregate) {
            aggregate = { record, namespace: record.object.namespace ?? 'default', count: 0, written: 0, first: now, last: now, lastWriteAt: 0, writing: Promise.resolve() };
            this.aggregates.set(key, aggregate);
        }
        aggregate.record = record;
        aggregate.count++;
        aggregate.last = now;
        this.schedule(aggregate);
    }
    /** Forgets the aggregate, so the next occurrence starts a new Event (e.g. after a recovery). */
    reset(object, reason, about) {
        const key = [object.kind, object.namespace ?? '', object.name, reason, about].join('\0');
        clearTimeout(this.aggregates.get(key)?.timer);
        this.aggregates.delete(key);
    }
    /** Cancels pending writes. */
    stop() {
        for (const aggregate of this.aggregates.values())
            clearTimeout(aggregate.timer);
    }
    schedule(aggregate) {
        if (aggregate.timer)
            return;
        const wait = Math.max(0, aggregate.lastWriteAt + (this.options.minIntervalMs ?? 60_000) - Date.now());
        aggregate.timer = setTimeout(() => {
            aggregate.timer = undefined;
            if (!this.takeToken()) {
                this.schedule(aggregate);
                return;
            }
            aggregate.lastWriteAt = Date.now();
            aggregate.writing = aggregate.writing.then(() => this.write(aggregate));
        }, wait);
        aggregate.timer.unref();
    }
    takeToken() {
        const burst = this.options.burst ?? 25;
        const refillMs = this.options.refillMs ?? 5_000;
        const earned = Math.floor((Date.now() - this.refilledAt) / refillMs);
        if (earned > 0) {
            this.tokens = Math.min(burst, this.tokens + earned);
            this.refilledAt += earned * refillMs;
        }
        if (this.tokens <= 0)
            return false;
        this.tokens--;
        return true;
    }
    async write(aggregate) {
        if (aggregate.written === aggregate.count)
            return;
        const { client, log } = this.options;
        const { record } = aggregate;
        const count = aggregate.count;
        try {
            if (aggregate.name) {
                try {
                    await client.core.patchNamespacedEvent({ name: aggregate.name, namespace: aggregate.namespace, body: { count, lastTimestamp: aggregate.last.toISOString(), message: record.message } }, client.mergePatch);
                    aggregate.written = count;
                    return;
                }
                catch (err) {
                    // Expired (the API server keeps Events ~1 h): start a new one below.
                    if (err.code !== 404)
                        throw err;
                }
            }
            const name = `${record.object.name}.${Date.now().toString(16)}${randomBytes(4).toString('hex')}`;
            await client.core.createNamespacedEvent({ namespace: aggregate.namespace, body: this.event(aggregate, name, count) });
            aggregate.name = name;
            aggregate.written = count;
        }
        catch (err) {
            this.options.failed(err);
            log.warn({ reason: record.reason, object: `${record.object.kind}/${record.object.name}`, err: describe(err) }, 'could not write a Kubernetes Event');
        }
    }
    event(aggregate, name, count) {
        const { record } = aggregate;
        return {
            metadata: { name, namespace: aggregate.namespace },
            involvedObject: { apiVersion: 'v1', kind: record.object.kind, name: record.object.name, namespace: record.object.namespace, uid: record.object.uid },
            type: record.type,
            reason: record.reason,
            message: record.message,
            count,
            firstTimestamp: aggregate.first,
            lastTimestamp: aggregate.last,
            source: { component: REPORTING_COMPONENT, host: this.options.node },
            reportingComponent: REPORTING_COMPONENT,
            reportingInstance: this.options.node,
        };
    }
}
//# sourceMappingURL=event-recorder.js.map