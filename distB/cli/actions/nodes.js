import { clientFrom, interruptSignal } from '../client-flags.js';
/** `codesync nodes list`. */
export async function listNodes(flags) {
    const signal = interruptSignal();
    const client = await clientFrom(flags);
    try {
        const answer = await client.listNodes(signal);
        process.stdout.write(flags.json ? `${JSON.stringify(answer, null, 2)}\n` : nodesTable(answer.nodes));
    }
    finally {
        await client.close();
    }
}
/** `codesync nodes rm NODE`. */
export async function forgetNode(node, flags) {
    const signal = interruptSignal();
    const client = await clientFrom(flags);
    try {
        await client.deleteNode(node, signal);
        process.stdout.write(`forgot node ${node}\n`);
    }
    finally {
        await client.close();
    }
}
function nodesTable(nodes) {
    if (nodes.length === 0)
        return 'no node has reported\n';
    const rows = nodes.map((node) => [
        node.node,
        node.lastReportAt,
        Object.entries(node.apps)
            .map(([app, held]) => `${app}@${held.seq}${held.selected ? '' : ' (unselected)'}${held.error ? ' (error)' : ''}`)
            .join(', ') || '-',
    ]);
    const all = [['NODE', 'LAST REPORT', 'APPS'], ...rows];
    const widths = all[0].map((_, i) => Math.max(...all.map((row) => row[i].length)));
    return all.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n') + '\n';
}
//# sourceMappingURL=nodes.js.map