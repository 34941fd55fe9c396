import { ImportRequestSchema } from '../../protocol/api.js';
import { appParam } from '../http/params.js';
/** `POST /v1/apps/{app}/imports`: one import now, after any running for the app (docs/migrate-from-rsync.md). */
export function importRoutes(imports) {
    return async (parent) => {
        const app = parent.withTypeProvider();
        app.post('/v1/apps/:app/imports', { schema: { body: ImportRequestSchema } }, async (request, reply) => {
            const name = appParam(request.params);
            const outcome = await imports.run(name, { source: request.body.source, meta: request.body.meta, trigger: 'request' });
            const body = { seq: outcome.seq, digest: outcome.digest };
            if (outcome.unchanged)
                body.unchanged = true;
            if (outcome.skipped > 0)
                body.skipped = outcome.skipped;
            return reply.code(outcome.unchanged ? 200 : 201).send(body);
        });
    };
}
//# sourceMappingURL=imports.js.map