import { ackBudget, reportedAcks } from './report-acks.js';
/** Characters of an app's last error a report carries (docs/security.md, Bounds). */
const MAX_REPORTED_ERROR_CHARS = 1024;
/**
 * Tells the server what this node runs (`PUT /v1/nodes/{node}`): right after each switch and on
 * a heartbeat. Reports never overlap; a report asked for during one is sent right after it.
 */
export class Reporter {
    options;
    sending;
    again = false;
    constructor(options) {
        this.options = options;
    }
    async run(signal) {
        const timer = setInterval(() => this.report(signal), this.options.heartbeatMs ?? 30_000);
        signal.addEventListener('abort', () => clearInterval(timer), { once: true });
        this.report(signal);
    }
    /** Sends a report now (or right after the one in flight). */
    report(signal) {
        if (signal.aborted)
            return;
        if (this.sending) {
            this.again = true;
            return;
        }
        this.sending = this.send(signal).finally(() => {
            this.sending = undefined;
            if (this.again) {
                this.again = false;
                this.report(signal);
            }
        });
    }
    body() {
        const apps = {};
        const budget = ackBudget();
        for (const worker of this.options.workers()) {
            const activation = worker.activated;
            if (!activation && !worker.lastError)
                continue;
            const acks = reportedAcks(this.options.feed.acksFor(worker.app), budget);
            apps[worker.app] = {
                seq: activation?.seq ?? 0,
                digest: activation?.digest ?? '',
                activatedAt: activation?.activatedAt ?? null,
                // An error message may quote whatever the server sent: the schema takes 4096 characters.
                error: worker.lastError === null ? null : worker.lastError.slice(0, MAX_REPORTED_ERROR_CHARS),
                ...(acks.length > 0 ? { acks } : {}),
                ...(this.options.unselected?.(worker.app) ? { selected: false } : {}),
            };
        }
        return { apps, labels: { ...this.options.labels.current() } };
    }
    async send(signal) {
        try {
            await this.options.client.reportNode(this.options.node, this.body(), signal);
        }
        catch (err) {
            if (!signal.aborted)
                this.options.log.warn({ err: err.message }, 'node report failed; the next heartbeat retries');
        }
    }
}
//# sourceMappingURL=reporter.js.map