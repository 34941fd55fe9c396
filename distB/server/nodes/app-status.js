/**
 * Seconds a node running `seq` lags: 0 when it runs the latest release, else the time since the
 * first release it lacks was published, so a silent node's lag keeps growing. `releases` are the
 * retained ones, newest first (as the release store and the API list them); when the first missing
 * one was pruned, the oldest retained newer release stands in (a lower bound).
 */
export function lagSeconds(seq, releases, now) {
    let firstMissing;
    for (const release of releases) {
        if (release.seq <= seq)
            break;
        firstMissing = release;
    }
    if (!firstMissing)
        return 0;
    return Math.max(0, (now - Date.parse(firstMissing.createdAt)) / 1000);
}
/** The rollout view of one app: every node that reported it. `releases` newest first. */
export function appStatus(app, releases, nodes, now = Date.now()) {
    const latest = releases[0];
    const rows = [];
    for (const { node, report, receivedAt } of nodes) {
        const held = report.apps[app];
        // A node that no longer selects the app keeps its files for a while but is not part of its rollout.
        if (!held || held.selected === false)
            continue;
        const row = {
            node,
            seq: held.seq,
            digest: held.digest,
            lagSeconds: lagSeconds(held.seq, releases, now),
            activatedAt: held.activatedAt,
            lastReportAt: receivedAt,
            error: held.error ?? null,
        };
        if (held.acks) {
            const current = held.acks.filter((ack) => ack.seq === held.seq);
            const failures = current.filter((ack) => !ack.ok).map((ack) => (ack.message === undefined ? { pod: ack.pod } : { pod: ack.pod, message: ack.message }));
            row.acks = { ok: current.length - failures.length, failed: failures.length, failures };
        }
        rows.push(row);
    }
    rows.sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
    return {
        app,
        latest: latest ? { app, seq: latest.seq, digest: latest.digest, createdAt: latest.createdAt } : null,
        nodes: rows,
    };
}
//# sourceMappingURL=app-status.js.map