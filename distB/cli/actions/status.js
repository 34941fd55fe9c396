import { clientFrom, interruptSignal } from '../client-flags.js';
import { usageError } from '../fail.js';
import { Progress } from '../progress.js';
import { waitForRollout } from '../rollout/wait-rollout.js';
import { table } from '../table.js';
/** `codesync status`. */
export async function runStatus(flags) {
    const signal = interruptSignal();
    const client = await clientFrom(flags);
    try {
        if (flags.wait) {
            if (!flags.app)
                throw usageError('--wait needs --app');
            const rollout = await waitForRollout(client, { app: flags.app, seq: flags.seq, acks: flags.acks === true, timeoutMs: flags.timeout, signal, progress: new Progress(flags.progress) });
            process.stdout.write(flags.json ? `${JSON.stringify(rollout, null, 2)}\n` : `${flags.app} seq ${rollout.seq}: ${rollout.done}/${rollout.selected} nodes${rollout.acks ? ' acked' : ''}, rollout done\n`);
            return;
        }
        if (flags.seq !== undefined || flags.acks)
            throw usageError('--seq and --acks apply only with --wait');
        const answer = flags.app ? await client.appStatus(flags.app, signal) : await client.listApps(signal);
        if (flags.json)
            process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
        else
            process.stdout.write(flags.app ? appTable(answer) : appsTable(answer));
    }
    finally {
        await client.close();
    }
}
function appsTable(apps) {
    if (apps.length === 0)
        return 'no apps\n';
    return table(['APP', 'SEQ', 'DIGEST', 'PUBLISHED', 'SELECTOR'], apps.map((app) => [app.name, app.latest ? String(app.latest.seq) : '-', shortDigest(app.latest?.digest), app.latest?.createdAt ?? '-', app.nodeSelector || '(all nodes)']));
}
function appTable(status) {
    const latest = status.latest ? `${status.app}: latest seq ${status.latest.seq} ${shortDigest(status.latest.digest)} published ${status.latest.createdAt}\n` : `${status.app}: no release yet\n`;
    if (status.nodes.length === 0)
        return `${latest}no node reports this app yet\n`;
    const withAcks = status.nodes.some((node) => node.acks);
    const header = ['NODE', 'SEQ', 'LAG', 'LAST REPORT', ...(withAcks ? ['ACKS OK', 'ACKS FAILED'] : []), 'ERROR'];
    const rows = status.nodes.map((node) => [
        node.node,
        String(node.seq),
        formatLag(node.lagSeconds),
        node.lastReportAt,
        ...(withAcks ? [String(node.acks?.ok ?? 0), String(node.acks?.failed ?? 0)] : []),
        node.error ?? '-',
    ]);
    return latest + table(header, rows);
}
function shortDigest(digest) {
    return digest ? digest.slice(0, 'sha256:'.length + 12) : '-';
}
function formatLag(seconds) {
    if (seconds === 0)
        return '0';
    if (seconds < 120)
        return `${Math.round(seconds)}s`;
    if (seconds < 7200)
        return `${Math.round(seconds / 60)}m`;
    return `${Math.round(seconds / 3600)}h`;
}
//# sourceMappingURL=status.js.map