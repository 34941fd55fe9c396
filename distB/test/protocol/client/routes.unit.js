import t from 'tap';
import { routes } from '../../../protocol/client/routes.js';
t.test('every route of docs/api.md under /v1', async (t) => {
    t.equal(routes.apps(), '/v1/apps');
    t.equal(routes.app('web'), '/v1/apps/web');
    t.equal(routes.releases('web'), '/v1/apps/web/releases');
    t.equal(routes.manifest('web', 13), '/v1/apps/web/releases/13/manifest');
    t.equal(routes.manifest('web', 13, 12), '/v1/apps/web/releases/13/manifest?base=12');
    t.equal(routes.pack('web', 13), '/v1/apps/web/releases/13/pack');
    t.equal(routes.pack('web', 13, 12), '/v1/apps/web/releases/13/pack?base=12');
    t.equal(routes.rollback('web'), '/v1/apps/web/rollback');
    t.equal(routes.imports('web'), '/v1/apps/web/imports');
    t.equal(routes.status('web'), '/v1/apps/web/status');
    t.equal(routes.blob('ab'.repeat(32)), `/v1/blobs/${'ab'.repeat(32)}`);
    t.equal(routes.blobs(), '/v1/blobs');
    t.equal(routes.blobsFetch(), '/v1/blobs:fetch');
    t.equal(routes.events(), '/v1/events');
    t.equal(routes.events([]), '/v1/events');
    t.equal(routes.events(['web', 'api']), '/v1/events?apps=web,api');
    t.equal(routes.nodes(), '/v1/nodes');
    t.equal(routes.node('node-a'), '/v1/nodes/node-a');
    t.equal(routes.status('web', { seq: 3, waitSeconds: 30, acks: true }), '/v1/apps/web/status?seq=3&wait=30&acks=1');
    t.equal(routes.pullSlots(30), '/v1/pull-slots?wait=30');
    t.equal(routes.pullSlot('5d1c'), '/v1/pull-slots/5d1c');
});
t.test('a hostile name changes which resource is named, never which route', async (t) => {
    t.equal(routes.app('../../escaped-app'), '/v1/apps/..%2F..%2Fescaped-app');
    t.equal(routes.manifest('a/b', 1), '/v1/apps/a%2Fb/releases/1/manifest');
    t.equal(routes.node('n?x=1#y'), '/v1/nodes/n%3Fx%3D1%23y');
    t.equal(routes.pullSlot('../apps'), '/v1/pull-slots/..%2Fapps');
    t.equal(routes.events(['a,b', 'c&d']), '/v1/events?apps=a%2Cb,c%26d');
});
//# sourceMappingURL=routes.unit.js.map