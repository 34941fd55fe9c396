import { NodeReportSchema } from '../../protocol/api.js';
import { CodesyncError } from '../../protocol/errors.js';
import { statusRoute } from '../nodes/status-route.js';
/**
 * `PUT /v1/nodes/{node}` (agents report, read scope), `GET /v1/nodes`, `DELETE /v1/nodes/{node}`
 * (operators, publish scope) and `GET /v1/apps/{app}/status`.
 */
export function nodeRoutes(context) {
    return async (parent) => {
        const app = parent.withTypeProvider();
        app.put('/v1/nodes/:node', { config: { scope: 'read' }, schema: { body: NodeReportSchema } }, async (request, reply) => {
            const { node } = request.params;
            context.nodes.put(node, request.body);
            request.log.debug({ node, apps: Object.keys(request.body.apps) }, 'node reported');
            return reply.code(204).send();
        });
        app.get('/v1/nodes', { config: { scope: 'read' } }, async () => {
            const nodes = context.nodes.all().map(summary);
            nodes.sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
            return { nodes };
        });
        app.delete('/v1/nodes/:node', { config: { scope: 'publish' } }, async (request, reply) => {
            const { node } = request.params;
            if (!(await context.nodes.remove(node)))
                throw new CodesyncError('NODE_NOT_FOUND', `no report from a node named ${JSON.stringify(node)}`);
            request.log.info({ node }, 'node removed by an operator');
            return reply.code(204).send();
        });
        app.get('/v1/apps/:app/status', async (request, reply) => statusRoute(context, request, reply));
    };
}
function summary({ node, report, receivedAt }) {
    const apps = {};
    for (const [name, held] of Object.entries(report.apps))
        apps[name] = { seq: held.seq, selected: held.selected !== false, error: held.error ?? null };
    return { node, lastReportAt: receivedAt, labels: report.labels ?? {}, apps };
}
//# sourceMappingURL=nodes.js.map