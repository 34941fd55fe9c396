import { parseSelector } from '../../protocol/selector.js';
/**
 * Where the rollout of release `seq` of an app stands, from the nodes' last reports: every node
 * whose reported labels match the app's selector must run `seq` or a later one (agents coalesce,
 * so a node may skip straight past it) and, with `acks`, have pods that acknowledged the reload
 * of the seq it runs with none failing. A failed ack is final (the pod reloaded and broke); a
 * sync error is not (the agent retries), so such a node stays pending with its error shown.
 * A node reporting no labels (an agent older than labels in reports) counts as selected when it
 * reports the app.
 */
export function rolloutOf(app, selector, seq, nodes, acks) {
    const matcher = parseSelector(selector);
    const rows = [];
    for (const { node, report, receivedAt } of nodes) {
        const held = report.apps[app];
        const selected = report.labels ? matcher.matches(report.labels) : held !== undefined;
        if (!selected)
            continue;
        const row = { node, seq: held?.seq ?? 0, state: 'pending', error: held?.error ?? null, lastReportAt: receivedAt, labels: report.labels ?? {} };
        if (held && held.seq >= seq) {
            const current = acks ? (held.acks ?? []).filter((ack) => ack.seq === held.seq) : [];
            const failed = current.filter((ack) => !ack.ok);
            if (failed.length > 0) {
                row.state = 'failed';
                row.error = failed.map((ack) => `pod ${ack.pod} failed to reload${ack.message ? `: ${ack.message}` : ''}`).join('; ');
            }
            else if (!acks || current.length > 0) {
                row.state = 'done';
                row.error = null;
            }
            else {
                row.error = held.error ?? `runs seq ${held.seq}; no pod has acknowledged it yet`;
            }
        }
        rows.push(row);
    }
    rows.sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
    const done = rows.filter((row) => row.state === 'done').length;
    const failed = rows.some((row) => row.state === 'failed');
    return { seq, acks, selected: rows.length, done, complete: rows.length > 0 && done === rows.length, failed, nodes: rows };
}
/** True when waiting longer cannot change the answer: done, failed, or no node to wait for. */
export function rolloutSettled(rollout) {
    return rollout.complete || rollout.failed || rollout.selected === 0;
}
//# sourceMappingURL=rollout.js.map