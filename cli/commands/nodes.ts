import type { Command } from 'commander';
import { clientOptions, type ClientFlags } from '../client-flags.js';
import { addOptions, type OptionTable } from '../option-table.js';

export const nodesListOptions = {
  ...clientOptions,
  json: { flags: '--json', doc: "print the server's JSON answer as is", env: false },
} satisfies OptionTable;

export const nodesRmOptions = clientOptions;

export interface NodesListFlags extends ClientFlags {
  json?: boolean;
}

/** `codesync nodes list|rm`: the nodes the server has reports from, and forgetting one. */
export function registerNodes(program: Command): void {
  const nodes = program.command('nodes').description('nodes the server has reports from: list them, or forget one (rm)');
  addOptions(nodes.command('list').description('every node that reported: last report, apps held (unselected ones marked), labels'), nodesListOptions)
    .action(async (flags: NodesListFlags) => (await import('../actions/nodes.js')).listNodes(flags));
  addOptions(nodes.command('rm').description('forget a node: it leaves every status and lag until it reports again (publish token)').argument('<node>', 'node name'), nodesRmOptions)
    .action(async (node: string, flags: ClientFlags) => (await import('../actions/nodes.js')).forgetNode(node, flags));
}
