import { join, resolve } from 'node:path';
import { CodesyncError } from '../protocol/errors.js';
import { dropOldReleases } from './app-state.js';
import { LagTracker } from './observability/lag-tracker.js';
import { AppLayout, ObjectLayout } from './cache/layout.js';
import { AgentMetrics } from './observability/metrics.js';
import { ObjectCache } from './cache/object-cache.js';
import { unmeteredSlots } from './link/pull-slots.js';
import { SyncEngine } from './sync/sync-engine.js';
/**
 * `codesync pull`: one sync with the agent's engine and layout, then a check of the result;
 * resolves only when `<dest>/current` is complete with every file's size and mode right (and,
 * with `verify`, its sha256).
 */
export async function pullOnce(options) {
    const { signal } = options;
    const dest = resolve(options.dest);
    const layout = new AppLayout(options.app, dest);
    const cache = new ObjectCache(new ObjectLayout(join(dest, '.objects')));
    const { client } = options;
    const info = await client.getApp(options.app, signal);
    const manifestRules = () => ({ externalSymlinks: info.externalSymlinks === 'allow' });
    const engine = new SyncEngine({ layout, cache, client, slots: options.slots ?? unmeteredSlots, metrics: new AgentMetrics(new LagTracker()), log: options.log.child({ app: options.app }), spare: false, trust: options.trust, manifestRules });
    await cache.init();
    await engine.recover(signal);
    const seq = options.seq ?? latestSeq(info);
    const before = engine.current?.digest;
    await engine.sync(seq, signal);
    // A tree this pull built is re-hashed; one already in place (an up-to-date pull, the common
    // init-container restart) gets the quick check of sizes and modes unless --verify asks for more.
    const built = engine.current?.digest !== before;
    let problems = await engine.check(built || options.verify === true, signal);
    if (problems.length > 0) {
        options.log.warn({ app: options.app, seq, count: problems.length }, 'the pulled tree differs from its manifest: rebuilding it');
        await engine.dropDamagedObjects(problems);
        await engine.rebuildCurrent(engine.current, signal);
        problems = await engine.check(true, signal);
        if (problems.length > 0)
            throw new CodesyncError('TREE_DAMAGED', `${layout.current} still differs from its manifest at ${problems[0].path} (${problems[0].kind})`);
    }
    await engine.settled();
    await dropOldReleases(layout, options.keepReleases, seq);
    const held = engine.current;
    return { seq: held.seq, digest: held.digest, path: layout.current };
}
function latestSeq(info) {
    if (!info.latest)
        throw new CodesyncError('RELEASE_NOT_FOUND', `app ${info.name} has no release yet`);
    return info.latest.seq;
}
//# sourceMappingURL=one-shot-pull.js.map