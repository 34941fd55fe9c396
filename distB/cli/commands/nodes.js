import { clientOptions } from '../client-flags.js';
import { addOptions } from '../option-table.js';
export const nodesListOptions = {
    ...clientOptions,
    json: { flags: '--json', doc: "print the server's JSON answer as is", env: false },
};
export const nodesRmOptions = clientOptions;
/** `codesync nodes list|rm`: the nodes the server has reports from, and forgetting one. */
export function registerNodes(program) {
    const nodes = program.command('nodes').description('nodes the server has reports from: list them, or forget one (rm)');
    addOptions(nodes.command('list').description('every node that reported: last report, apps held (unselected ones marked), labels'), nodesListOptions)
        .action(async (flags) => (await import('../actions/nodes.js')).listNodes(flags));
    addOptions(nodes.command('rm').description('forget a node: it leaves every status and lag until it reports again (publish token)').argument('<node>', 'node name'), nodesRmOptions)
        .action(async (node, flags) => (await import('../actions/nodes.js')).forgetNode(node, flags));
}
//# sourceMappingURL=nodes.js.map