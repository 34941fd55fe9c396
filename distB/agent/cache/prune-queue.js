import { lstat, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isMissing } from '../../protocol/runtime/durable-write.js';
/**
 * Unlinked objects younger than this survive a prune: a sync fetches objects before it links
 * them, and an object a release just stopped linking may serve the next one.
 */
export const PRUNE_GRACE_MS = 10 * 60_000;
/** Objects a prune checks between yields to the event loop. */
const PRUNE_CHUNK = 256;
/**
 * What the object cache may drop: objects that lost a link since the last prune, or a walk of the
 * whole cache when a tree went without its manifest. Pruning costs what changed, not the cache's
 * size; it never runs while `busy()` says a sync uses the cache. A noted object is not looked at
 * before its grace period can be over, and one a walk finds within it becomes a noted object: in
 * a steady stream of releases each prune checks what came due, never the whole cache again.
 */
export class PruneQueue {
    /** `objects/sha256`: the shards a walk reads. */
    root;
    busy;
    now;
    /**
     * Objects that lost a link (paths), each with the time before which its grace period cannot be
     * over: the link count changed no later than the object was noted, and that change set its ctime.
     */
    candidates = new Map();
    /** A walk of the whole cache is due (a tree went whose manifest was unknown). */
    walkWanted = false;
    /** `now` is the clock the grace period is measured against (tests own one). */
    constructor(root, busy, now = Date.now) {
        this.root = root;
        this.busy = busy;
        this.now = now;
    }
    /** Notes objects (paths) to check on the next prune; `'all'` asks for one walk of the whole cache. */
    note(paths) {
        if (paths === 'all') {
            this.walkWanted = true;
            return;
        }
        const due = this.now() + PRUNE_GRACE_MS;
        for (const path of paths)
            this.candidates.set(path, Math.max(due, this.candidates.get(path) ?? 0));
    }
    /** Noted objects still waiting out the grace period (or a sync in progress). */
    get pending() {
        return this.candidates.size + (this.walkWanted ? 1 : 0);
    }
    /**
     * Removes objects no retained release links any more (link count 1) and older than the grace
     * period: the noted ones that came due, or every object when a walk was asked for. Runs after a
     * switch, never between an event and a switch; stops when a sync starts and yields between
     * chunks, so it never holds the loop or the disk for long. What is not yet due stays noted for
     * the next pass.
     */
    async prune(signal) {
        const now = this.now();
        const cutoff = now - PRUNE_GRACE_MS;
        let removed = 0;
        let checked = 0;
        for (const [path, due] of [...this.candidates]) {
            if (due > now)
                continue;
            signal.throwIfAborted();
            if (this.busy())
                return removed;
            const stats = await lstat(path).catch(() => undefined);
            if (stats?.isFile() && stats.nlink === 1) {
                if (stats.ctimeMs >= cutoff) {
                    this.candidates.set(path, stats.ctimeMs + PRUNE_GRACE_MS);
                    continue;
                }
                await unlink(path).catch(() => { });
                removed++;
            }
            this.candidates.delete(path);
            if (++checked % PRUNE_CHUNK === 0)
                await new Promise((resolve) => setImmediate(resolve));
        }
        if (this.walkWanted) {
            this.walkWanted = false;
            const walked = await this.walk(cutoff, signal).catch((err) => {
                this.walkWanted = true;
                throw err;
            });
            if (walked === undefined)
                this.walkWanted = true;
            else
                removed += walked;
        }
        return removed;
    }
    /**
     * One walk of the whole cache; undefined when a sync started meanwhile (asked again later). An
     * unlinked object within its grace period is noted, due when the period is over.
     */
    async walk(cutoff, signal) {
        let removed = 0;
        let shards;
        try {
            // Real directories only: a symlinked shard would let prune unlink files elsewhere.
            shards = (await readdir(this.root, { withFileTypes: true })).filter((dirent) => dirent.isDirectory()).map((dirent) => dirent.name);
        }
        catch (err) {
            if (isMissing(err))
                return 0;
            throw err;
        }
        for (const shard of shards) {
            signal.throwIfAborted();
            if (this.busy())
                return undefined;
            const dir = join(this.root, shard);
            for (const name of await readdir(dir)) {
                const path = join(dir, name);
                const stats = await lstat(path).catch(() => undefined);
                if (!stats?.isFile() || stats.nlink !== 1)
                    continue;
                if (stats.ctimeMs >= cutoff)
                    this.candidates.set(path, stats.ctimeMs + PRUNE_GRACE_MS);
                else if (!this.busy()) {
                    await unlink(path).catch(() => { });
                    removed++;
                }
            }
            await new Promise((resolve) => setImmediate(resolve));
        }
        return removed;
    }
}
//# sourceMappingURL=prune-queue.js.map