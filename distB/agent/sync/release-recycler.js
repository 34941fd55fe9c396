import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { dropReleaseManifests, listReleases, readManifest } from '../app-state.js';
import { flushPath, flushPaths } from '../cache/durable-fs.js';
import { ConfinedDir } from './confined-path.js';
import { applyDelta, removeEmptiedDirs } from './tree-builder.js';
import { cloneThreadsGone, cloneTree } from './tree-clone.js';
const DEFAULT_KEEP_RELEASES = 3;
/**
 * One app's background work after a switch, in proportion to the change (docs/agent.md): the
 * spare tree of `current` the next release is built in, and the release trees beyond
 * `keepReleases`. The newest retired tree becomes the spare by replaying the deltas since (no
 * tree removed, none cloned; deltas unknown since a restart are the diff of the two manifests
 * kept on disk). While `releases/` holds fewer trees than `keepReleases` (after a cold sync or a
 * restart) there is none to retire: the clones those first releases need are made at once after
 * the full build, as reserves, and each is brought forward when its turn comes. Only without
 * either is the spare a hardlinked clone of `current`, and old trees are removed. Clones are made
 * on a thread at the lowest CPU priority (tree-clone.ts): they are never on a critical path. A crash at any
 * point leaves `releases/` whole: trees leave it in one rename, and `.staging/` is dropped at start.
 */
export class ReleaseRecycler {
    options;
    spare;
    /** Steps by target seq, back to the oldest retained release or reserve. */
    steps = new Map();
    reserves = [];
    /** Reserves being made; settles when they are (or failed, logged). */
    reserving = Promise.resolve();
    /** The reserve clone under way, if any; settles when it is kept (or failed). */
    reserveUnderWay;
    /**
     * Fired when a sync waits for the spare: clones under way (low priority, tree-clone.ts) go on
     * at the agent's own priority, so a busy node never leaves the sync waiting on a starved clone.
     */
    hurry = new AbortController();
    generation = 0;
    constructor(options) {
        this.options = options;
    }
    /** Remembers how release `seq` was built from `base` by `delta`. */
    recordStep(seq, base, delta) {
        this.steps.set(seq, { base: base.seq, delta, unlinked: unlinkedBy(base.entries, delta) });
    }
    /** The trees on disk belong to a store since replaced: no step of theirs leads anywhere now. */
    forgetSteps() {
        this.steps.clear();
        this.generation++;
    }
    /**
     * Hands over the spare when it is a complete tree of release `baseSeq`, to be brought to the
     * next release in place; any other spare is removed. Always settled first: its background work
     * renames and removes trees.
     */
    async takeSpare(baseSeq) {
        const spare = this.spare;
        this.spare = undefined;
        if (!spare)
            return undefined;
        // Only a sync that would wait hurries: a ready spare leaves the reserves under way at nice 19
        // (hurried, 20 agents' reserve clones ran at full priority through the first release after a
        // cold sync, and made it the slowest round).
        if (!spare.settled)
            this.hurry.abort();
        const ready = await spare.ready;
        // Renewed once the wait is over: a clone the spare starts meanwhile starts hurried.
        if (this.hurry.signal.aborted)
            this.hurry = new AbortController();
        if (ready && baseSeq !== undefined && spare.seq === baseSeq)
            return spare.dir;
        await rm(spare.dir, { recursive: true, force: true });
        return undefined;
    }
    /** Starts cloning `current` (release `held`) into `.staging/spare-<seq>`: after a start or a repair. */
    prepare(held, signal) {
        this.startSpare(held, signal, async (dir) => {
            await rm(dir, { recursive: true, force: true });
            await cloneTree(dir, held.entries, this.options.cache.layout, signal, this.hurry.signal);
        });
        this.reserveFor(held, signal);
    }
    /**
     * After a switch to `held`: once `persisted` (the full manifest of `held` on disk; old
     * manifests go only after it), retires the trees beyond `keepReleases`, the newest of them
     * recycled as the spare, or clones one.
     */
    afterSwitch(held, persisted, signal) {
        const previous = this.spare;
        this.startSpare(held, signal, async (dir) => {
            await previous?.ready;
            await persisted;
            // The first reserve is enough, not all of them: after a cold sync the second release's
            // spare was ready only once both reserves were (2 clones at nice 19), and the sync after it
            // hurried them both.
            if (this.reserves.length === 0)
                await this.reserveUnderWay;
            await rm(dir, { recursive: true, force: true });
            if (await this.retire(held, dir, signal))
                return;
            if (await this.fromReserve(held, dir, signal))
                return;
            await cloneTree(dir, held.entries, this.options.cache.layout, signal, this.hurry.signal);
        });
        this.reserveFor(held, signal);
    }
    /** Removes the spare and the reserves (before `current` is rebuilt from scratch). */
    async drop() {
        // A repair waits for this, and all it waits for is removed next: no further reserve starts,
        // and the clones under way leave the idle IO class, which on a busy disk waits behind every
        // other IO (a drift repair under load waited minutes for two unhurried reserve clones).
        this.generation++;
        this.hurry.abort();
        await this.takeSpare(undefined);
        await this.reserving;
        const doomed = this.reserves;
        this.reserves = [];
        for (const reserve of doomed)
            await rm(reserve.dir, { recursive: true, force: true });
    }
    /** Waits for the background work to settle; for shutdown and tests. */
    async idle() {
        await this.spare?.ready;
        await this.reserving;
        await cloneThreadsGone();
    }
    /**
     * Once the spare of `held` is ready, clones `current` as reserves for the releases to come
     * that will find no tree to retire: as many as `releases/` lacks of `keepReleases`, less the
     * reserves already kept. None in a steady stream of releases.
     */
    reserveFor(held, signal) {
        const spare = this.spare;
        const generation = this.generation;
        this.reserving = this.reserving
            .then(async () => {
            if (!(await spare?.ready) || signal.aborted)
                return;
            const { layout, cache } = this.options;
            const keep = this.options.keepReleases ?? DEFAULT_KEEP_RELEASES;
            const wanted = keep - (await listReleases(layout)).length - this.reserves.length;
            for (let n = 0; n < wanted && generation === this.generation; n++) {
                const dir = join(layout.stagingDir, `reserve-${held.seq}-${n}`);
                await rm(dir, { recursive: true, force: true });
                const kept = cloneTree(dir, held.entries, cache.layout, signal, this.hurry.signal).then(() => {
                    this.reserves.push({ seq: held.seq, dir, generation });
                });
                this.reserveUnderWay = kept.catch(() => { });
                await kept.finally(() => {
                    this.reserveUnderWay = undefined;
                });
            }
        })
            .catch((err) => {
            if (!signal.aborted)
                this.options.log.warn({ seq: held.seq, err }, 'could not prepare a reserve tree; a later release clones its spare');
        });
    }
    /** Brings the oldest usable reserve forward to `held` as the spare at `spareDir`; false when there is none. */
    async fromReserve(held, spareDir, signal) {
        for (let reserve = this.reserves.shift(); reserve; reserve = this.reserves.shift()) {
            const steps = reserve.generation === this.generation ? this.stepsBetween(reserve.seq, held.seq) : undefined;
            if (!steps) {
                await rm(reserve.dir, { recursive: true, force: true });
                continue;
            }
            await rename(reserve.dir, spareDir);
            if (await this.bringForward(spareDir, steps, held, signal))
                return true;
        }
        return false;
    }
    startSpare(held, signal, make) {
        const dir = join(this.options.layout.stagingDir, `spare-${held.seq}`);
        const spare = { seq: held.seq, dir, ready: Promise.resolve(false), settled: false };
        spare.ready = (async () => {
            await make(dir);
            return true;
        })()
            .catch((err) => {
            if (!signal.aborted)
                this.options.log.warn({ seq: held.seq, err }, 'could not prepare the spare tree; the next sync builds in full');
            return false;
        })
            .finally(() => {
            spare.settled = true;
        });
        this.spare = spare;
    }
    /**
     * Retires the release trees beyond `keepReleases` (never `current`); returns true when one
     * became the spare at `spareDir`. Manifests go first, so no manifest outlives its tree.
     */
    async retire(held, spareDir, signal) {
        const { layout, cache } = this.options;
        const currentSeq = held.seq;
        const keep = this.options.keepReleases ?? DEFAULT_KEEP_RELEASES;
        const seqs = (await listReleases(layout)).filter((seq) => seq !== currentSeq);
        const excess = seqs.slice(0, Math.max(0, seqs.length - (keep - 1)));
        let recycled = false;
        for (const seq of excess.reverse()) {
            signal.throwIfAborted();
            const steps = recycled ? undefined : (this.stepsBetween(seq, currentSeq) ?? (await this.diffSteps(seq, held)));
            await dropReleaseManifests(layout, seq);
            if (steps) {
                await rename(layout.releaseDir(seq), spareDir);
                await flushPath(layout.releasesDir);
                recycled = await this.bringForward(spareDir, steps, held, signal);
                if (!recycled)
                    continue;
            }
            else {
                // Out of `releases/` in one rename, then removed: a crash never leaves half a release there.
                const doomed = join(layout.stagingDir, `retired-${seq}`);
                await mkdir(layout.stagingDir, { recursive: true });
                await rename(layout.releaseDir(seq), doomed);
                await rm(doomed, { recursive: true, force: true });
                cache.noteUnlinked('all');
            }
        }
        const oldest = Math.min(currentSeq, ...seqs.filter((seq) => !excess.includes(seq)), ...this.reserves.map((reserve) => reserve.seq));
        for (const seq of this.steps.keys())
            if (seq <= oldest)
                this.steps.delete(seq);
        return recycled;
    }
    /**
     * Replays `steps` on the tree at `dir` (a complete tree of the first step's base) to make it a
     * tree of `held`; false, with the tree removed, when that fails.
     */
    async bringForward(dir, steps, held, signal) {
        const { cache, log } = this.options;
        try {
            await cache.use(async () => {
                for (const step of steps)
                    await applyDelta(dir, step.delta, cache, signal);
                const touched = new Set();
                await removeEmptiedDirs(new ConfinedDir(dir), steps.flatMap((step) => step.delta.removed), (path) => held.entries.holds(path), touched);
                await flushPaths([...touched]);
            });
        }
        catch (err) {
            log.warn({ seq: held.seq, err }, 'could not bring an old tree forward as the spare; cloning current instead');
            await rm(dir, { recursive: true, force: true });
            cache.noteUnlinked('all');
            return false;
        }
        cache.noteUnlinked(steps.flatMap((step) => step.unlinked));
        return true;
    }
    /**
     * The step from release `seq` to `held` as the diff of their manifests kept on disk: for trees
     * retained across a restart, whose deltas the agent no longer holds. Undefined without one.
     */
    async diffSteps(seq, held) {
        const base = await readManifest(this.options.layout, seq).catch(() => undefined);
        if (!base)
            return undefined;
        const delta = base.entries.diff(held.entries);
        return [{ base: seq, delta, unlinked: unlinkedBy(base.entries, delta) }];
    }
    /** The steps from release `from` to `to`, oldest first; undefined when one is unknown. */
    stepsBetween(from, to) {
        const steps = [];
        for (let seq = to; seq !== from;) {
            const step = this.steps.get(seq);
            if (!step || step.base >= seq)
                return undefined;
            steps.push(step);
            seq = step.base;
            if (seq < from)
                return undefined;
        }
        return steps.reverse();
    }
}
/** Cache objects a delta unlinks from a tree of `base`: the files it changes or removes, as the base has them. */
function unlinkedBy(base, delta) {
    const unlinked = [];
    for (const path of [...delta.removed, ...delta.changed.map((entry) => entry.path)]) {
        const index = base.indexOf(path);
        const entry = index >= 0 ? base.entry(index) : undefined;
        if (entry?.type === 'file')
            unlinked.push({ sha256: entry.sha256, mode: entry.mode });
    }
    return unlinked;
}
//# sourceMappingURL=release-recycler.js.map