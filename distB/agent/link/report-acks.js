/**
 * Bounds on what one node report carries about pods' acks (docs/security.md, Bounds), so that
 * `PUT /v1/nodes/{node}` always fits the server's 1 MiB JSON limit however many pods post
 * however long messages: the node's seq and errors must keep landing.
 */
export const REPORT_ACK_BOUNDS = {
    /** Characters of an ack's message a report keeps (its tail, where errors are). */
    messageChars: 256,
    /** Acks per app in one report (the schema's maxItems). */
    perApp: 1000,
    /** JSON bytes of every ack in one report together, all apps counted. */
    totalBytes: 512 * 1024,
};
export function ackBudget() {
    return { bytes: REPORT_ACK_BOUNDS.totalBytes };
}
/**
 * The acks of one app a report carries: failures first (they are what an operator acts on), then
 * the newest, each message cut to its tail, until the per-app count or the shared byte budget
 * runs out. The feed already keeps only the newest ack per pod.
 */
export function reportedAcks(acks, budget) {
    const ordered = [...acks].sort((a, b) => Number(a.ok) - Number(b.ok) || (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    const kept = [];
    for (const ack of ordered) {
        if (kept.length >= REPORT_ACK_BOUNDS.perApp)
            break;
        const cut = { ...ack };
        if (ack.message !== undefined && ack.message.length > REPORT_ACK_BOUNDS.messageChars)
            cut.message = ack.message.slice(-REPORT_ACK_BOUNDS.messageChars);
        const bytes = Buffer.byteLength(JSON.stringify(cut)) + 1;
        if (bytes > budget.bytes)
            break;
        budget.bytes -= bytes;
        kept.push(cut);
    }
    return kept;
}
//# sourceMappingURL=report-acks.js.map