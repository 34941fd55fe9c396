import { AppSpecSchema } from '../../protocol/api.js';
import { parseSelector } from '../../protocol/selector.js';
import { appParam } from '../http/params.js';
import { assertImportSettings } from '../imports/import-settings.js';
/** `GET /v1/apps`, `GET /v1/apps/{app}`, `PUT /v1/apps/{app}`, `DELETE /v1/apps/{app}`. */
export function appRoutes(context) {
    return async (parent) => {
        const app = parent.withTypeProvider();
        app.get('/v1/apps', async () => context.releases.appNames().map((name) => context.releases.app(name)));
        app.get('/v1/apps/:app', async (request) => context.releases.requireApp(appParam(request.params)));
        app.put('/v1/apps/:app', { schema: { body: AppSpecSchema } }, async (request, reply) => {
            const name = appParam(request.params);
            if (request.body.nodeSelector !== undefined)
                parseSelector(request.body.nodeSelector);
            assertImportSettings(request.body);
            const existed = context.releases.app(name) !== undefined;
            const info = await context.releases.putApp(name, request.body);
            request.log.info({ app: name, nodeSelector: info.nodeSelector, keepReleases: info.keepReleases, externalSymlinks: info.externalSymlinks, importSource: info.importSource, importInterval: info.importInterval }, 'app updated');
            return reply.code(existed ? 200 : 201).send(info);
        });
        app.delete('/v1/apps/:app', async (request, reply) => {
            const name = appParam(request.params);
            await context.releases.deleteApp(name);
            return reply.code(204).send();
        });
    };
}
//# sourceMappingURL=apps.js.map