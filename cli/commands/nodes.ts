import type { Command } from 'commander';
import type { NodeSummary } from '../../protocol/api.js';
import { addClientFlags, clientFrom, interruptSignal, type ClientFlags } from '../client-flags.js';

interface NodesListFlags extends ClientFlags {
  json?: boolean;
}

/** `codesync nodes list|rm`: the nodes the server has reports from, and forgetting one. */
export function registerNodes(program: Command): void {
  const nodes = program.command('nodes').description('nodes the server has reports from: list them, or forget one (rm)');
  addClientFlags(nodes.command('list').description('every node that reported: last report, apps held (unselected ones marked), labels'))
    .option('--json', "print the server's JSON answer as is")
    .action(async (flags: NodesListFlags) => {
      const signal = interruptSignal();
      const client = clientFrom(flags);
      try {
        const answer = await client.listNodes(signal);
        process.stdout.write(flags.json ? `${JSON.stringify(answer, null, 2)}\n` : nodesTable(answer.nodes));
      } finally {
        await client.close();
      }
    });
  addClientFlags(nodes.command('rm').description('forget a node: it leaves every status and lag until it reports again (publish token)').argument('<node>', 'node name'))
    .action(async (node: string, flags: ClientFlags) => {
      const signal = interruptSignal();
      const client = clientFrom(flags);
      try {
        await client.deleteNode(node, signal);
        process.stdout.write(`forgot node ${node}\n`);
      } finally {
        await client.close();
      }
    });
}

function nodesTable(nodes: NodeSummary[]): string {
  if (nodes.length === 0) return 'no node has reported\n';
  const rows = nodes.map((node) => [
    node.node,
    node.lastReportAt,
    Object.entries(node.apps)
      .map(([app, held]) => `${app}@${held.seq}${held.selected ? '' : ' (unselected)'}${held.error ? ' (error)' : ''}`)
      .join(', ') || '-',
  ]);
  const all = [['NODE', 'LAST REPORT', 'APPS'], ...rows];
  const widths = all[0]!.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  return all.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}
