import { mkdir, readFile, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { importSettingsOf } from '../../protocol/api.js';
import { CompactManifest } from '../../protocol/compact-manifest.js';
import { CodesyncError } from '../../protocol/errors.js';
import { fsyncDir } from '../../protocol/runtime/durable-write.js';
import { deltaBody, DeltaFiles } from './delta-files.js';
import { createDirWith, readdirOrEmpty } from './durable-fs.js';
import { KeyedMutex, SharedExclusiveLock } from './locks.js';
import { ManifestCache } from './manifest-cache.js';
import { readRecord, readRecordHeader } from './record-manifest.js';
import { writeRecordFile } from './record-writer.js';
import { appNotFound, definedOf, parseAppRecord, parseReleaseRecord, summaryOf } from './records.js';
import { ReleasePublisher } from './release-publisher.js';
/**
 * Apps and their releases under `apps/<app>/`. A release is listed only once its record is
 * durable, `init` takes `nextSeq` past the highest record, and only complete records are ever
 * read back, so a crash at any instant leaves no partial release and reuses no seq. Seqs are
 * allocated under a per-app mutex.
 */
export class ReleaseStore {
    fs;
    options;
    apps = new Map();
    publisher;
    /** nextSeq of deleted apps: an app created again under the same name never reuses a seq. */
    deleted = new Map();
    appLocks = new KeyedMutex();
    /** Shared by publishes between their blob check and their record write; exclusive for GC. */
    blobLock = new SharedExclusiveLock();
    /** Agents' manifest and delta requests are served from files and need none of these. */
    manifests = new ManifestCache();
    appsDir;
    deltas;
    /** Where the entries lie in each app's latest record this process wrote or read back: the next record copies what it shares. */
    layouts = new Map();
    listener = { released() { }, appChanged() { }, appDeleted() { }, pruned() { } };
    constructor(fs, blobs, options) {
        this.fs = fs;
        this.options = options;
        this.appsDir = join(fs.dataDir, 'apps');
        this.deltas = new DeltaFiles(fs, (name) => join(this.releasesDir(name), 'deltas'));
        this.publisher = new ReleasePublisher(this, blobs);
    }
    /**
     * Who hears of releases, app changes and prunes. Set after construction because the listeners
     * (metrics, GC, imports) are themselves built on the store; loading (`init`) notifies no one.
     */
    listen(listener) {
        this.listener = listener;
    }
    async init() {
        await mkdir(this.appsDir, { recursive: true });
        for (const name of await readdirOrEmpty(this.appsDir)) {
            let record;
            try {
                record = parseAppRecord(await readFile(join(this.appsDir, name, 'app.json'), 'utf8'));
            }
            catch (err) {
                // An app dir without a complete app.json was never created: no release was written in it.
                this.options.logger.warn({ app: name, err }, 'ignoring app without a readable app.json');
                continue;
            }
            if (record.deletedAt) {
                this.deleted.set(name, record.nextSeq);
                continue;
            }
            const releases = [];
            for (const file of await readdirOrEmpty(this.releasesDir(name))) {
                if (!/^\d+\.json$/.test(file))
                    continue;
                releases.push(summaryOf(readRecordHeader(await readFile(join(this.releasesDir(name), file)))));
            }
            releases.sort((a, b) => a.seq - b.seq);
            const maxSeq = releases.at(-1)?.seq ?? 0;
            if (maxSeq + 1 > record.nextSeq) {
                // A crash between a record and app.json: persist the repair, so a second crash in the
                // same window never leaves a record two steps ahead of app.json.
                record.nextSeq = maxSeq + 1;
                await this.fs.writeFile(this.appPath(name), JSON.stringify(record));
            }
            this.apps.set(name, { record, releases });
            // A step delta is written alongside its record (appendRelease): one whose record a crash
            // lost names a seq that may be handed out again now, so it goes before any publish.
            await this.deltas.removeExcept(name, new Set(releases.map((release) => release.seq)));
        }
    }
    appNames() {
        return [...this.apps.keys()].sort();
    }
    app(name) {
        const state = this.apps.get(name);
        return state && infoOf(state);
    }
    requireApp(name) {
        const info = this.app(name);
        if (!info)
            throw appNotFound(name);
        return info;
    }
    /**
     * The tree rules an app's publishes are validated with: external symlinks only when the app
     * allows them. An app that does not exist yet gets the defaults.
     */
    manifestRules(name) {
        return { externalSymlinks: this.apps.get(name)?.record.externalSymlinks === 'allow' };
    }
    /** Retained releases, newest first. */
    releases(name) {
        this.requireApp(name);
        return [...this.apps.get(name).releases].reverse();
    }
    latest(name) {
        return this.apps.get(name)?.releases.at(-1);
    }
    /** A retained release's summary; RELEASE_NOT_FOUND when the app never had it or it was pruned. */
    summary(name, seq) {
        const state = this.apps.get(name);
        if (!state)
            throw appNotFound(name);
        const summary = state.releases.find((release) => release.seq === seq);
        if (!summary)
            throw new CodesyncError('RELEASE_NOT_FOUND', `app ${name} has no release ${seq} (it may have been pruned)`);
        return summary;
    }
    /** A retained release's whole record, read from disk (rollbacks; agents get the file itself). */
    async release(name, seq) {
        this.summary(name, seq);
        return parseReleaseRecord(await readFile(this.releasePath(name, seq), 'utf8'));
    }
    /**
     * The record file of a retained release: the exact body of `GET .../manifest`, served as it
     * lies on disk. It may be pruned after this returns: opening it then fails with ENOENT.
     */
    recordFile(name, seq) {
        this.summary(name, seq);
        return this.releasePath(name, seq);
    }
    /**
     * The file holding the delta from `base` to `seq` (the body of `GET .../manifest?base=`):
     * written at publish for the step from the previous release, made and kept the first time any
     * other step is asked for.
     */
    async deltaFile(name, seq, base) {
        this.summary(name, seq);
        this.summary(name, base);
        return this.deltas.ensure(name, seq, base, async () => {
            const record = await this.release(name, seq);
            const target = this.manifests.get(name, seq)?.manifest ?? CompactManifest.fromSorted(record.entries);
            return deltaBody(record, base, (await this.manifest(name, base)).diff(target));
        });
    }
    /** A retained release's manifest in compact form, from memory or its record. */
    async manifest(name, seq) {
        return (await this.cachedManifest(name, seq)).manifest;
    }
    /** A retained release's manifest with what is known of its checks (see ManifestCache). */
    async cachedManifest(name, seq) {
        this.summary(name, seq);
        const cached = this.manifests.get(name, seq);
        if (cached)
            return cached;
        const { manifest, layout } = readRecord(await readFile(this.releasePath(name, seq)));
        this.manifests.set(name, seq, manifest);
        // The latest record read back after a restart: the next record copies what it shares from it.
        if (layout && !this.layouts.has(name) && this.latest(name)?.seq === seq)
            this.layouts.set(name, { seq, layout });
        return { manifest, checkedStrict: false };
    }
    /** Creates the app or updates its spec; lowering keepReleases prunes at once. */
    async putApp(name, spec) {
        return this.appLocks.run(name, async () => {
            const state = await this.ensureApp(name, spec);
            const record = { ...state.record, ...definedOf(spec) };
            if (JSON.stringify(record) !== JSON.stringify(state.record)) {
                await this.fs.writeFile(this.appPath(name), JSON.stringify(record));
                state.record = record;
                this.listener.appChanged(infoOf(state));
            }
            await this.prune(state);
            return infoOf(state);
        });
    }
    /**
     * Deletes the app and its release records (blobs go at the next GC). A tombstone keeps its
     * nextSeq, so agents that still hold seq N never mistake a recreated app's seq 1 for older.
     */
    async deleteApp(name) {
        await this.appLocks.run(name, async () => {
            const state = this.apps.get(name);
            if (!state)
                throw appNotFound(name);
            // The tombstone is durable before any record goes: a crash in between leaves a deleted app.
            await this.fs.writeFile(this.appPath(name), JSON.stringify({ ...state.record, deletedAt: new Date().toISOString() }));
            this.apps.delete(name);
            this.deleted.set(name, state.record.nextSeq);
            this.layouts.delete(name);
            for (const { seq } of state.releases)
                this.manifests.delete(name, seq);
            await rm(this.releasesDir(name), { recursive: true, force: true });
            this.options.logger.info({ app: name, releases: state.releases.length }, 'app deleted');
            this.listener.appDeleted(name);
            if (state.releases.length > 0)
                this.listener.pruned(name, state.releases.length);
        });
    }
    /** See ReleasePublisher.publish: a whole validated, sorted tree. */
    publish(name, entries, options) {
        return this.publisher.publish(name, entries, options);
    }
    /** See ReleasePublisher.publishManifest: a whole tree in compact form. */
    publishManifest(name, manifest, options) {
        return this.publisher.publishManifest(name, manifest, options);
    }
    /** See ReleasePublisher.publishDelta: the tree a delta makes of a retained release. */
    publishDelta(name, base, delta, options) {
        return this.publisher.publishDelta(name, base, delta, options);
    }
    /** Runs `work` under the app's lock: the publisher's seq allocation, app updates, deletion. */
    withAppLock(name, work) {
        return this.appLocks.run(name, work);
    }
    /** The retained release `seq` of the app, or undefined. */
    retained(name, seq) {
        return this.apps.get(name)?.releases.find((release) => release.seq === seq);
    }
    /**
     * Writes the next release of the app (created with `spec` if new; the caller holds the app's
     * lock and the shared blob lock): the record of `manifest` with the header `draft` makes of the
     * seq, durably, then lists it among the retained releases (before the blob lock goes, so GC
     * sees its blobs). Written beside the record, not after it: the app record moving nextSeq on
     * (`init` takes nextSeq past the highest record, so a crash only ever leaves a seq unused), and
     * the step delta from `previous` (the latest release, while retained) that nodes then read
     * (`init` removes one of a seq never published; a failed write removes it at once). `step` is
     * what a delta publish changed of its base (publish-step.ts): when that base is `previous`, the
     * step delta and the runs the record copies come from it rather than being compared out.
     */
    async appendRelease(name, spec, manifest, draft, previous, step) {
        const state = await this.ensureApp(name, spec);
        const record = draft(state.record.nextSeq);
        // Moved on first: a failed write leaves this seq unused rather than handing it out again.
        state.record = { ...state.record, nextSeq: record.seq + 1 };
        const base = previous && this.retained(name, previous.seq) ? previous.seq : undefined;
        const known = step && step.base === base ? step : undefined;
        const stepDelta = base === undefined ? Promise.resolve() : this.writeStepDelta(record, base, manifest, known?.delta);
        const appRecord = this.fs.writeFile(this.appPath(name), JSON.stringify(state.record));
        // Awaited below; a failure meanwhile must not go unhandled.
        appRecord.catch(() => undefined);
        try {
            const layout = await this.writeRecord(record, manifest, step);
            if (layout)
                this.layouts.set(name, { seq: record.seq, layout });
            else
                this.layouts.delete(name);
            await appRecord;
        }
        catch (err) {
            await appRecord.catch(() => undefined);
            await stepDelta;
            if (base !== undefined)
                await this.deltas.remove(name, new Set([record.seq]));
            throw err;
        }
        await stepDelta;
        state.releases.push(summaryOf(record));
        return record;
    }
    /** Writes the record file, copying what it shares from the app's latest record (record-writer.ts). */
    async writeRecord(record, manifest, step) {
        const held = this.layouts.get(record.app);
        const heldManifest = held && this.retained(record.app, held.seq) ? this.manifests.get(record.app, held.seq)?.manifest : undefined;
        const runs = held && step?.base === held.seq ? step.runs : undefined;
        const previous = held && heldManifest ? { manifest: heldManifest, layout: held.layout, path: this.releasePath(record.app, held.seq), runs } : undefined;
        const mismatch = () => this.options.logger.warn({ app: record.app, seq: held?.seq }, 'the previous record is not the one written: this record is written whole');
        return writeRecordFile(this.fs, this.releasePath(record.app, record.seq), record, manifest, previous, mismatch);
    }
    /**
     * After `appendRelease`: caches the manifest, tells the listeners, prunes. Returns the
     * release's summary.
     */
    async released(record, manifest, checkedStrict) {
        const state = this.apps.get(record.app);
        const release = state.releases.find((held) => held.seq === record.seq);
        this.manifests.set(record.app, record.seq, manifest, checkedStrict);
        this.listener.released(release);
        await this.prune(state);
        return release;
    }
    /**
     * Writes the delta from the previous release before nodes hear of the new one: every node
     * making that step then reads one file. Losing it only costs making it on the first request.
     */
    async writeStepDelta(record, base, manifest, known) {
        try {
            await this.deltas.write(deltaBody(record, base, known ?? (await this.manifest(record.app, base)).diff(manifest)));
        }
        catch (err) {
            this.options.logger.warn({ app: record.app, seq: record.seq, base, err }, 'could not write the delta from the previous release; it is made on first request');
        }
    }
    async ensureApp(name, spec) {
        const existing = this.apps.get(name);
        if (existing)
            return existing;
        const tombstone = this.deleted.get(name);
        // Records a crash left behind while the app was being deleted must not come back with it.
        if (tombstone !== undefined)
            await rm(this.releasesDir(name), { recursive: true, force: true });
        const record = {
            name,
            nodeSelector: spec.nodeSelector ?? '',
            keepReleases: spec.keepReleases ?? this.options.keepReleases,
            createdAt: new Date().toISOString(),
            nextSeq: tombstone ?? 1,
        };
        // A tombstone's directory is there already; a new app's appears with its app.json in it, so a
        // crash never leaves an app directory without one.
        if (tombstone !== undefined)
            await this.fs.writeFile(this.appPath(name), JSON.stringify(record));
        else
            await createDirWith(this.fs, join(this.appsDir, name), 'app.json', JSON.stringify(record));
        const state = { record, releases: [] };
        this.apps.set(name, state);
        this.deleted.delete(name);
        this.options.logger.info({ app: name }, 'app created');
        this.listener.appChanged(infoOf(state));
        return state;
    }
    /** Deletes the records of releases past keepReleases, oldest first; blobs go at the next GC. */
    async prune(state) {
        const name = state.record.name;
        const pruned = new Set();
        while (state.releases.length > state.record.keepReleases) {
            const oldest = state.releases.shift();
            this.manifests.delete(name, oldest.seq);
            await unlink(this.releasePath(name, oldest.seq)).catch((err) => {
                if (err.code !== 'ENOENT')
                    throw err;
            });
            pruned.add(oldest.seq);
        }
        if (pruned.size > 0) {
            await fsyncDir(this.releasesDir(name));
            // After the records: a delta without its release is never served, nor its seq ever reused.
            await this.deltas.remove(name, pruned);
            this.options.logger.info({ app: name, pruned: pruned.size }, 'releases pruned');
            this.listener.pruned(name, pruned.size);
        }
    }
    appPath(name) {
        return join(this.appsDir, name, 'app.json');
    }
    releasesDir(name) {
        return join(this.appsDir, name, 'releases');
    }
    releasePath(name, seq) {
        return join(this.releasesDir(name), `${seq}.json`);
    }
}
function infoOf(state) {
    const { name, nodeSelector, keepReleases, externalSymlinks, createdAt } = state.record;
    return { name, nodeSelector, keepReleases, ...(externalSymlinks === undefined ? {} : { externalSymlinks }), createdAt, ...importSettingsOf(state.record), latest: state.releases.at(-1) ?? null };
}
//# sourceMappingURL=release-store.js.map