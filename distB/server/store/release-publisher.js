import { CompactManifest } from '../../protocol/compact-manifest.js';
import { applyCheckedDelta } from '../../protocol/delta-target.js';
import { CodesyncError, isCodesyncError } from '../../protocol/errors.js';
import { mapLimit } from '../../protocol/runtime/map-limit.js';
import { appNotFound } from './records.js';
import { publishStep } from './publish-step.js';
import { mayHoldSymlink } from './symlink-scan.js';
/** Blob existence checks in flight at once for one publish. */
const STAT_CONCURRENCY = 64;
/**
 * The publish path of the release store (docs/design.md#data-flow-of-a-publish): a whole tree or
 * a delta on a retained release, its blobs checked under the shared blob lock, then the record
 * written through the store. Runs under the app's lock, so seqs are allocated one at a time.
 */
export class ReleasePublisher {
    store;
    blobs;
    constructor(store, blobs) {
        this.store = store;
        this.blobs = blobs;
    }
    /**
     * Publishes a validated, sorted manifest as the app's next release. An unknown app is
     * APP_NOT_FOUND unless `create` gives the spec to create it with (apps exist on purpose: a
     * mistyped name must not ship a tree to every node). Answers `missing` when a file's blob is
     * absent. `signature` (shape-checked by the caller; the server holds no keys) is stored with the
     * record. `entries` passed validateManifest under the app's rules.
     */
    async publish(name, entries, options) {
        return this.publishManifest(name, CompactManifest.fromSorted(entries), options);
    }
    /** `publish` of a tree already in compact form (a publish body read without an object per entry). */
    async publishManifest(name, manifest, options) {
        return this.store.withAppLock(name, () => {
            const checkedStrict = !this.store.manifestRules(name).externalSymlinks;
            return this.publishLocked(name, { manifest, newBlobs: manifest.fileSha256s(), checkedStrict }, options);
        });
    }
    /**
     * Publishes the tree `delta` makes of the retained release `base` (a client that published it
     * sends only what changed since). The base must still be retained and hold the tree the client
     * diffed against (`baseDigest`), else DELTA_BASE_MISMATCH and the client sends the whole
     * manifest. Only the blobs the delta adds are checked: a retained release holds the others.
     * The tree is checked as protocol/delta-target.ts says: a delta of files only on a base known
     * to pass the strictest rules by lookups of its own paths, anything else whole. No object per
     * entry is built unless the tree is checked whole.
     */
    async publishDelta(name, base, delta, options) {
        return this.store.withAppLock(name, async () => {
            if (!this.store.app(name) && !options.create)
                throw appNotFound(name, true);
            const held = this.store.retained(name, base.seq);
            if (!held || held.digest !== base.digest) {
                const why = held ? `names another tree (${held.digest}) than the client's base (${base.digest})` : 'is no longer retained';
                throw new CodesyncError('DELTA_BASE_MISMATCH', `release ${base.seq} of ${name} ${why}: publish the full manifest`);
            }
            const rules = this.store.manifestRules(name);
            const baseTree = await this.store.cachedManifest(name, base.seq);
            // A base without links passes the strictest rules as it is: a tree read back from its
            // record after a restart is known strict that way, so a files-only delta on it is still
            // checked by lookups (applyCheckedDelta counted the target's links instead: every entry
            // compared, ~50-150 ms at 100 000 entries, on every publish after a restart).
            const baseStrict = baseTree.checkedStrict || !mayHoldSymlink(baseTree.manifest);
            let target;
            try {
                target = applyCheckedDelta(baseTree.manifest, delta, rules, baseStrict);
            }
            catch (err) {
                // INVALID_DELTA names a bad delta from the server; from a client it is a bad request.
                if (isCodesyncError(err, 'INVALID_DELTA'))
                    throw new CodesyncError('INVALID_REQUEST', err.message);
                throw err;
            }
            // Checked whole under strict rules, or by lookups on a base that passed them: strict.
            const checkedStrict = !rules.externalSymlinks && (target.checkedWhole || baseStrict);
            const totals = deltaTotals(held, baseTree.manifest, delta);
            const step = publishStep(base.seq, baseTree.manifest, target.manifest, delta);
            return this.publishLocked(name, { manifest: target.manifest, newBlobs: fileSha256s([...delta.added, ...delta.changed]), checkedStrict, totals, step }, options);
        });
    }
    async publishLocked(name, tree, options) {
        const { meta, rollbackOf, signature, create } = options;
        if (!this.store.app(name) && !create)
            throw appNotFound(name, true);
        const { manifest } = tree;
        const digest = manifest.digest();
        const latest = this.store.latest(name);
        // The same tree newly signed (or signed by another key, as in a rotation) is a new release:
        // folding it into an unsigned latest would drop the signature agents are waiting for.
        if (latest?.digest === digest && (!signature || latest.keyId === signature.keyId))
            return { published: { release: latest, unchanged: true } };
        const written = await this.store.blobLock.withShared(async () => {
            // Checked before the app is created, so a refused publish leaves no trace.
            const missing = await this.missingBlobs(tree.newBlobs);
            if (missing.length > 0)
                return { missing };
            // Listed by the store before the shared lock is released, so GC never misses its blobs.
            const record = await this.store.appendRelease(name, create ?? {}, manifest, (seq) => ({
                app: name,
                seq,
                digest,
                createdAt: new Date().toISOString(),
                meta,
                ...(rollbackOf === undefined ? {} : { rollbackOf }),
                files: tree.totals?.files ?? manifest.count('file'),
                bytes: tree.totals?.bytes ?? manifest.fileBytes(),
                ...(signature ? { signature } : {}),
            }), latest, tree.step);
            return { record };
        });
        if ('missing' in written)
            return { missing: written.missing };
        const release = await this.store.released(written.record, manifest, tree.checkedStrict);
        return { published: { release, unchanged: false } };
    }
    /** The blobs of `blobs` the store lacks, sorted; none is the common case. */
    async missingBlobs(blobs) {
        const wanted = [...new Set(blobs)];
        const present = await this.blobs.presence(wanted);
        const missing = wanted.filter((_, index) => !present[index]).sort();
        if (missing.length === 0)
            return missing;
        // The client will upload the rest and rely on these being kept meanwhile: restart their grace.
        await mapLimit(wanted.filter((_, index) => present[index]), STAT_CONCURRENCY, (sha256) => this.blobs.touch(sha256));
        return missing;
    }
}
/**
 * The files and bytes of the tree `delta` makes of `base` (whose summary is `held`), from the
 * delta's entries and the base entries it removes or replaces: in proportion to the change, where
 * counting the tree reads every entry. The delta was applied already, so each path it removes or
 * changes is in the base.
 */
function deltaTotals(held, base, delta) {
    let { files, bytes } = held;
    for (const path of [...delta.removed, ...delta.changed.map((entry) => entry.path)]) {
        const old = base.entry(base.indexOf(path));
        if (old.type !== 'file')
            continue;
        files--;
        bytes -= old.size;
    }
    for (const entry of [...delta.added, ...delta.changed]) {
        if (entry.type !== 'file')
            continue;
        files++;
        bytes += entry.size;
    }
    return { files, bytes };
}
function fileSha256s(entries) {
    return entries.flatMap((entry) => (entry.type === 'file' ? [entry.sha256] : []));
}
//# sourceMappingURL=release-publisher.js.map