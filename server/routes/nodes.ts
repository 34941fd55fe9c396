import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { NodeReportSchema } from '../../protocol/api.js';
import type { ServerContext } from '../context.js';
import { appParam } from '../http/params.js';
import { statusRoute } from '../nodes/status-route.js';

/** `PUT /v1/nodes/{node}` (agents report, read scope) and `GET /v1/apps/{app}/status`. */
export function nodeRoutes(context: ServerContext) {
  return async (parent: FastifyInstance): Promise<void> => {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    app.put('/v1/nodes/:node', { config: { scope: 'read' }, schema: { body: NodeReportSchema } }, async (request, reply) => {
      const { node } = request.params as { node: string };
      context.nodes.put(node, request.body);
      request.log.debug({ node, apps: Object.keys(request.body.apps) }, 'node reported');
      return reply.code(204).send();
    });
    app.get('/v1/apps/:app/status', async (request, reply) => statusRoute(context, request, reply));
  };
}
