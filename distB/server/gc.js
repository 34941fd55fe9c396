import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isMissing } from '../protocol/runtime/durable-write.js';
import { mapLimit } from '../protocol/runtime/map-limit.js';
import { readdirOrEmpty } from './store/durable-fs.js';
import { isCodesyncError } from '../protocol/errors.js';
import { blobKeys, ReferencedBlobs } from './referenced-blobs.js';
/** Stats in flight at once while marking. */
const STAT_CONCURRENCY = 16;
/** Candidates being set aside and deleted at once while sweeping. */
const DELETE_CONCURRENCY = 16;
/**
 * Candidates deleted per hold of the exclusive lock: publishes waiting for it go in between
 * batches, so a sweep of many blobs delays one by at most a batch's unlinks.
 */
const SWEEP_BATCH = 256;
/**
 * The quiet after a prune before GC runs, started again by each prune. A prune comes with a
 * publish, and the mark reads every retained release (~0.1 s of CPU at 10 000 files, seconds at
 * 100 000): the nodes pulling the new release want that CPU first. Blobs wait a grace anyway.
 */
const AFTER_PRUNE_MS = 3_000;
/**
 * Deletes blobs no retained release references. A blob younger than the grace period (by mtime,
 * which uploads and publish checks refresh) is kept: it may belong to a publish in progress.
 *
 * The mark (every retained release's blobs, then every stored blob not among them, by name; only
 * those are stat'ed) holds no lock, so publishes go on meanwhile. The sweep takes the exclusive
 * blob lock in short batches: under it, no publish is between its blob check and its record, the
 * blobs of releases published since the mark are added to the references, and each candidate
 * still referenced is skipped; one stored or touched since the cutoff is put back by
 * `BlobStore.deleteUnlessTouched`. A release therefore never lacks a blob: either its publish
 * checked the blob before the sweep's batch (and the release is in the references), or after
 * (and the blob it found is one GC no longer deletes).
 */
export class GarbageCollector {
    releases;
    blobs;
    options;
    timer;
    afterPrune;
    running;
    again = false;
    /** blobKeys of each release (`app/seq`) covered by a run, for the next runs: see addReferences. */
    keysOf = new Map();
    constructor(releases, blobs, options) {
        this.releases = releases;
        this.blobs = blobs;
        this.options = options;
    }
    start() {
        this.timer = setInterval(() => this.schedule(), this.options.intervalMs);
        this.timer.unref();
    }
    stop() {
        clearInterval(this.timer);
        clearTimeout(this.afterPrune);
        return this.running ?? Promise.resolve();
    }
    /** Runs once releases have stopped being pruned for AFTER_PRUNE_MS. */
    scheduleAfterPrune() {
        clearTimeout(this.afterPrune);
        this.afterPrune = setTimeout(() => this.schedule(), AFTER_PRUNE_MS);
        this.afterPrune.unref();
    }
    /** Runs soon; requests during a run coalesce into one more run. */
    schedule() {
        if (this.running) {
            this.again = true;
            return;
        }
        this.running = this.run()
            .catch((err) => {
            this.options.logger.error({ err }, 'gc failed');
            return { deleted: 0, deletedBytes: 0 };
        })
            .finally(() => {
            this.running = undefined;
            if (this.again) {
                this.again = false;
                this.schedule();
            }
        });
    }
    async run() {
        const started = Date.now();
        this.options.logger.info('gc started');
        const mark = await this.mark();
        const marked = Date.now();
        const result = await this.sweep(mark);
        // Spared: candidates a publish referenced or an upload touched since the mark.
        this.options.logger.info({ ...result, spared: mark.candidates.length - result.deleted, candidates: mark.candidates.length, referenced: mark.references.blobs.size, markMs: marked - started, sweepMs: Date.now() - marked }, 'gc done');
        return result;
    }
    /** Finds the candidates without holding any lock. */
    async mark() {
        const cutoffMs = Date.now() - this.options.graceMs;
        const references = { blobs: new ReferencedBlobs(), releases: new Set() };
        await this.addReferences(references);
        // Releases pruned since the last run are not kept for the next.
        for (const release of this.keysOf.keys())
            if (!references.releases.has(release))
                this.keysOf.delete(release);
        const candidates = [];
        for (const prefix of await this.blobs.prefixes()) {
            const unreferenced = (await readdirOrEmpty(join(this.blobs.root, prefix))).filter((name) => !references.blobs.has(name));
            const mtimes = await mapLimit(unreferenced, STAT_CONCURRENCY, (sha256) => mtimeOf(this.blobs.path(sha256)));
            unreferenced.forEach((sha256, index) => {
                const mtime = mtimes[index];
                if (mtime !== undefined && mtime <= cutoffMs)
                    candidates.push(sha256);
            });
        }
        return { candidates, references, cutoffMs };
    }
    /**
     * Adds to `references` the blobs of every retained release it has not covered yet, and covers
     * those releases: called again, it adds only what releases published since then reference.
     * Each release's blob keys (referenced-blobs.ts) are made once, from its manifest, and kept
     * for the next runs: a release's manifest is read only the first time (right after its publish
     * it is still in the manifest cache), where each mark read every retained record the cache no
     * longer held (at 100 000 files, ~0.15 s of CPU each, most of every mark).
     */
    async addReferences(references) {
        for (const name of this.releases.appNames()) {
            for (const { seq } of this.releases.app(name) ? this.releases.releases(name) : []) {
                const release = `${name}/${seq}`;
                if (references.releases.has(release))
                    continue;
                let keys = this.keysOf.get(release);
                if (!keys) {
                    try {
                        keys = blobKeys(await this.releases.manifest(name, seq));
                    }
                    catch (err) {
                        // Pruned (or its app deleted) meanwhile: its blobs are no longer needed.
                        if (isCodesyncError(err, 'RELEASE_NOT_FOUND') || isCodesyncError(err, 'APP_NOT_FOUND') || isMissing(err))
                            continue;
                        throw err;
                    }
                    this.keysOf.set(release, keys);
                }
                references.blobs.addKeys(keys);
                references.releases.add(release);
            }
        }
    }
    /** Deletes the candidates still unreferenced and untouched, a batch per hold of the lock. */
    async sweep(mark) {
        const result = { deleted: 0, deletedBytes: 0 };
        for (let start = 0; start < mark.candidates.length; start += SWEEP_BATCH) {
            await this.releases.blobLock.withExclusive(async () => {
                await this.addReferences(mark.references);
                const batch = mark.candidates.slice(start, start + SWEEP_BATCH).filter((sha256) => !mark.references.blobs.has(sha256));
                const outcomes = await mapLimit(batch, DELETE_CONCURRENCY, (sha256) => this.blobs.deleteUnlessTouched(sha256, mark.cutoffMs));
                for (const { deleted, size } of outcomes) {
                    if (!deleted)
                        continue;
                    result.deleted++;
                    result.deletedBytes += size;
                }
            });
        }
        return result;
    }
}
async function mtimeOf(path) {
    try {
        return (await stat(path)).mtimeMs;
    }
    catch (err) {
        if (isMissing(err))
            return undefined;
        throw err;
    }
}
//# sourceMappingURL=gc.js.map