import { API_PREFIX } from '../api-names.js';
const v1 = (path) => `${API_PREFIX}${path}`;
const name = encodeURIComponent;
const baseQuery = (base) => (base === undefined ? '' : `?base=${base}`);
export const routes = {
    apps: () => v1('/apps'),
    app: (app) => v1(`/apps/${name(app)}`),
    releases: (app) => v1(`/apps/${name(app)}/releases`),
    /** A publish that creates its app with `spec` when it does not exist yet. */
    releasesCreating: (app, spec) => v1(`/apps/${name(app)}/releases?${createQuery(spec)}`),
    /** The full manifest, or with `base` the delta from that release. */
    manifest: (app, seq, base) => v1(`/apps/${name(app)}/releases/${seq}/manifest${baseQuery(base)}`),
    /** The tar of the blobs release `seq` adds over `base` (every blob without it). */
    pack: (app, seq, base) => v1(`/apps/${name(app)}/releases/${seq}/pack${baseQuery(base)}`),
    rollback: (app) => v1(`/apps/${name(app)}/rollback`),
    imports: (app) => v1(`/apps/${name(app)}/imports`),
    /** The rollout view; with `rollout`, how far release `seq` has come, long-polled up to `waitSeconds`. */
    status: (app, rollout) => v1(`/apps/${name(app)}/status${rollout ? `?${rolloutQuery(rollout)}` : ''}`),
    blob: (sha256) => v1(`/blobs/${name(sha256)}`),
    blobs: () => v1('/blobs'),
    blobsFetch: () => v1('/blobs:fetch'),
    /** The event stream, of `apps` only when given. */
    events: (apps) => v1(apps && apps.length > 0 ? `/events?apps=${apps.map(name).join(',')}` : '/events'),
    nodes: () => v1('/nodes'),
    node: (node) => v1(`/nodes/${name(node)}`),
    pullSlots: (waitSeconds) => v1(`/pull-slots?wait=${waitSeconds}`),
    pullSlot: (slot) => v1(`/pull-slots/${name(slot)}`),
};
/** `create=1&selector=…&keepReleases=…` of a publish that may create its app (docs/api.md). */
function createQuery(spec) {
    const query = new URLSearchParams({ create: '1' });
    if (spec.nodeSelector !== undefined)
        query.set('selector', spec.nodeSelector);
    if (spec.keepReleases !== undefined)
        query.set('keepReleases', String(spec.keepReleases));
    return query.toString();
}
function rolloutQuery(rollout) {
    const query = new URLSearchParams();
    if (rollout.seq !== undefined)
        query.set('seq', String(rollout.seq));
    query.set('wait', String(rollout.waitSeconds));
    if (rollout.acks)
        query.set('acks', '1');
    return query.toString();
}
//# sourceMappingURL=routes.js.map