import { createReadStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import ignore from 'ignore';
import { manifestDigest } from '../../protocol/digest.js';
import { CodesyncError, isCodesyncError } from '../../protocol/errors.js';
import { validateManifest, validateMeta } from '../../protocol/manifest.js';
import { signRelease } from '../../protocol/release-signature.js';
import { BlobBatch } from '../store/blob-batch.js';
import { mapLimit } from '../../protocol/runtime/map-limit.js';
import { parseImportSource } from './import-source.js';
import { Mirror } from './mirror.js';
import { MirrorHashes } from './mirror-hashes.js';
import { walkMirror } from './mirror-tree.js';
import { PhaseTimer } from '../../protocol/runtime/phase-timer.js';
const IMPORT_STEPS = ['rsync', 'walk', 'hash', 'publish'];
/** Files staged into the blob store at once on an import's first, full hash. */
const HASH_CONCURRENCY = 8;
/** Names of skipped paths put in one log line. */
const SKIPPED_NAMES_LOGGED = 20;
/** Blob existence checks in flight at once. */
const TOUCH_CONCURRENCY = 64;
/**
 * One import of an app: mirror the rsync source until a pass finds it unchanged, check the
 * marker, walk and hash the mirror (only files rsync replaced), validate the tree with the
 * publish rules, and publish when its digest differs from the latest release. A failure at any
 * step publishes nothing. Callers serialise imports per app (import-scheduler.ts).
 */
export class Importer {
    options;
    hashes = new Map();
    constructor(options) {
        this.options = options;
    }
    async run(app, request) {
        const started = performance.now();
        const settings = this.options.releases.requireApp(app);
        const log = this.options.logger.child({ app, trigger: request.trigger });
        let result = 'failed';
        try {
            const source = parseImportSource(request.source ?? settings.importSource ?? missingSource(app));
            const meta = validateMeta({ importSource: source.url, ...request.meta });
            log.info({ source: source.url }, 'import started');
            const outcome = await this.importFrom(app, settings, source, meta, request.signal, log);
            result = outcome.unchanged ? 'unchanged' : 'published';
            log.info({ source: source.url, ...outcome, totalMs: Math.round(performance.now() - started) }, outcome.unchanged ? 'import unchanged' : 'import published');
            return outcome;
        }
        catch (err) {
            result = isCodesyncError(err) ? err.code : 'INTERNAL';
            log.warn({ err, code: result }, 'import failed; nothing published');
            throw err;
        }
        finally {
            this.options.metrics.importsTotal.inc({ app, result });
            this.options.metrics.importDuration.observe({ app }, (performance.now() - started) / 1000);
        }
    }
    async importFrom(app, settings, source, meta, signal, log) {
        const mirror = new Mirror(join(this.options.importDir, app));
        const timer = new PhaseTimer(IMPORT_STEPS);
        const synced = await mirror.sync(source, {
            password: await this.password(settings),
            signal,
            timeoutSeconds: this.options.timeoutSeconds,
            connectTimeoutSeconds: this.options.connectTimeoutSeconds,
            maxPasses: this.options.maxPasses,
        });
        this.options.metrics.importBytesReceived.inc({ app }, synced.bytesReceived);
        timer.lap('rsync');
        logSkipped(log, synced);
        const tree = await walkMirror(mirror.tree, { exclude: ignore().add(settings.importExclude ?? []), marker: settings.importMarker || undefined, signal });
        timer.lap('walk');
        if (!tree.markerFound) {
            throw new CodesyncError('IMPORT_INCOMPLETE', `the import source lacks the marker ${JSON.stringify(settings.importMarker)}: its writer has not finished; nothing was published`);
        }
        const batch = new BlobBatch(this.options.blobs);
        try {
            const { entries, staged, fileOf } = await this.hashTree(app, tree.nodes, batch, signal);
            const manifest = validateManifest(entries, this.options.releases.manifestRules(app));
            const digest = manifestDigest(manifest);
            timer.lap('hash');
            const common = { skipped: synced.skipped, excluded: tree.excluded, bytesReceived: synced.bytesReceived, passes: synced.passes };
            const signature = this.options.signKey && signRelease(this.options.signKey, app, digest);
            const latest = this.options.releases.latest(app);
            // As for a publish: the same tree newly signed (a key added or rotated) is a new release.
            if (latest?.digest === digest && (!signature || latest.keyId === signature.keyId)) {
                await batch.abort();
                return { seq: latest.seq, digest, unchanged: true, ...common, ms: timer.ms };
            }
            await this.stageMissing(manifest, staged, fileOf, batch);
            await batch.commit();
            const outcome = await this.options.releases.publish(app, manifest, { meta, signature });
            // Every blob was staged and committed just above: one missing now means the store lost it.
            if ('missing' in outcome)
                throw new CodesyncError('BLOBS_MISSING', `${outcome.missing.length} blob(s) of the import vanished from the store before its release was written`, { details: { missing: outcome.missing } });
            const published = outcome.published;
            timer.lap('publish');
            return { seq: published.release.seq, digest: published.release.digest, unchanged: published.unchanged, ...common, ms: timer.ms };
        }
        catch (err) {
            await batch.abort();
            throw err;
        }
    }
    /** Manifest entries of the walked mirror; files the hashes cannot vouch for are staged (and so hashed) into `batch`. */
    async hashTree(app, nodes, batch, signal) {
        let hashes = this.hashes.get(app);
        if (!hashes)
            this.hashes.set(app, (hashes = new MirrorHashes()));
        const known = hashes;
        const staged = new Set();
        const fileOf = new Map();
        try {
            const entries = await mapLimit(nodes, HASH_CONCURRENCY, async (node) => {
                if (node.type !== 'file')
                    return node;
                let sha256 = known.lookup(node.path, node.identity);
                if (sha256 === undefined) {
                    signal.throwIfAborted();
                    const blob = await batch.add(createReadStream(node.absolute), { size: node.identity.size });
                    sha256 = blob.sha256;
                    known.record(node.path, node.identity, sha256);
                    staged.add(sha256);
                }
                fileOf.set(sha256, node.absolute);
                return { path: node.path, type: 'file', mode: node.mode, size: node.identity.size, sha256 };
            });
            return { entries, staged, fileOf };
        }
        finally {
            known.settle();
        }
    }
    /**
     * Files whose hash came from the cache may lack their blob (an earlier release was pruned and
     * collected): stage those from the mirror. Present ones are touched, restarting their GC grace.
     */
    async stageMissing(manifest, staged, fileOf, batch) {
        const wanted = [...new Set(manifest.flatMap((entry) => (entry.type === 'file' && !staged.has(entry.sha256) ? [entry.sha256] : [])))];
        const present = await mapLimit(wanted, TOUCH_CONCURRENCY, (sha256) => this.options.blobs.touch(sha256));
        await mapLimit(wanted.filter((_, index) => !present[index]), HASH_CONCURRENCY, (sha256) => batch.add(createReadStream(fileOf.get(sha256)), { sha256 }));
    }
    /** Drops an app's mirror and hashes (the app was deleted); the caller holds the app's import turn. */
    async forget(app) {
        this.hashes.delete(app);
        await rm(join(this.options.importDir, app), { recursive: true, force: true });
    }
    /** The first line of the app's password file; never logged, never answered. */
    async password(settings) {
        const name = settings.importPasswordFile;
        if (!name)
            return undefined;
        try {
            const text = await readFile(join(this.options.passwordDir, name), 'utf8');
            return text.split('\n')[0].replace(/\r$/, '');
        }
        catch (err) {
            throw new CodesyncError('IMPORT_AUTH_FAILED', `cannot read importPasswordFile ${JSON.stringify(name)} in the server's --import-password-dir: ${err.code ?? 'error'}`);
        }
    }
}
function missingSource(app) {
    throw new CodesyncError('INVALID_REQUEST', `app ${app} has no importSource: send {"source": "rsync://..."} or set importSource on the app`);
}
function logSkipped(log, synced) {
    if (synced.skipped === 0)
        return;
    log.warn({ skipped: synced.skipped, paths: synced.skippedNames.slice(0, SKIPPED_NAMES_LOGGED) }, 'import skipped paths a release cannot hold (devices, fifos, sockets)');
}
//# sourceMappingURL=importer.js.map