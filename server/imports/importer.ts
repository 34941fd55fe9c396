import { createReadStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import ignore from 'ignore';
import type { Logger } from 'pino';
import type { AppInfo, PublishResponse } from '../../protocol/api.js';
import { manifestDigest } from '../../protocol/digest.js';
import { CodesyncError, isCodesyncError } from '../../protocol/errors.js';
import { validateManifest, validateMeta, type ManifestEntry, type ReleaseMeta } from '../../protocol/manifest.js';
import { signRelease, type SigningKey } from '../../protocol/release-signature.js';
import type { ServerMetrics } from '../metrics.js';
import { BlobBatch } from '../store/blob-batch.js';
import type { BlobStore } from '../store/blob-store.js';
import { mapLimit } from '../../protocol/runtime/map-limit.js';
import type { ReleaseStore } from '../store/release-store.js';
import { parseImportSource, type ImportSource } from './import-source.js';
import { Mirror, type MirrorSyncResult } from './mirror.js';
import { MirrorHashes } from './mirror-hashes.js';
import { walkMirror, type MirrorNode, type MirrorTree } from './mirror-tree.js';
import { PhaseTimer } from '../../protocol/runtime/phase-timer.js';

export interface ImporterOptions {
  /** Where the per-app mirrors live: `<importDir>/<app>/tree`. */
  importDir: string;
  /** The only directory an app's importPasswordFile may name a file in. */
  passwordDir: string;
  /** rsync `--timeout` of each pass, seconds. */
  timeoutSeconds: number;
  /** rsync `--contimeout`, seconds. */
  connectTimeoutSeconds: number;
  /** rsync passes before a source that keeps changing fails with IMPORT_UNSTABLE. */
  maxPasses: number;
  /** Signs each imported release (app, digest); none: imports are unsigned (docs/security.md). */
  signKey?: SigningKey | undefined;
  blobs: BlobStore;
  releases: ReleaseStore;
  metrics: ServerMetrics;
  logger: Logger;
}

export interface ImportRequestOptions {
  /** `rsync://...`; default: the app's importSource. */
  source?: string | undefined;
  /** Release meta the caller adds to `importSource` (theirs win). */
  meta?: ReleaseMeta | undefined;
  /** Why it runs, for logs: a request or the app's interval. */
  trigger: 'request' | 'interval';
  signal: AbortSignal;
}

/** The release, what rsync did (passes, skipped paths, bytes read) and the paths importExclude left out. */
export interface ImportOutcome extends Required<PublishResponse>, Pick<MirrorSyncResult, 'passes' | 'skipped' | 'bytesReceived'>, Pick<MirrorTree, 'excluded'> {
  /** Wall time of each step, for the log: where a slow import spends its time. */
  ms: Record<ImportStep, number>;
}

const IMPORT_STEPS = ['rsync', 'walk', 'hash', 'publish'] as const;
type ImportStep = (typeof IMPORT_STEPS)[number];

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
  private readonly hashes = new Map<string, MirrorHashes>();

  constructor(private readonly options: ImporterOptions) {}

  async run(app: string, request: ImportRequestOptions): Promise<ImportOutcome> {
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
    } catch (err) {
      result = isCodesyncError(err) ? err.code : 'INTERNAL';
      log.warn({ err, code: result }, 'import failed; nothing published');
      throw err;
    } finally {
      this.options.metrics.importsTotal.inc({ app, result });
      this.options.metrics.importDuration.observe({ app }, (performance.now() - started) / 1000);
    }
  }

  private async importFrom(app: string, settings: AppInfo, source: ImportSource, meta: ReleaseMeta, signal: AbortSignal, log: Logger): Promise<ImportOutcome> {
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
      if ('missing' in outcome) throw new CodesyncError('BLOBS_MISSING', `${outcome.missing.length} blob(s) of the import vanished from the store before its release was written`, { details: { missing: outcome.missing } });
      const published = outcome.published;
      timer.lap('publish');
      return { seq: published.release.seq, digest: published.release.digest, unchanged: published.unchanged, ...common, ms: timer.ms };
    } catch (err) {
      await batch.abort();
      throw err;
    }
  }

  /** Manifest entries of the walked mirror; files the hashes cannot vouch for are staged (and so hashed) into `batch`. */
  private async hashTree(app: string, nodes: MirrorNode[], batch: BlobBatch, signal: AbortSignal) {
    let hashes = this.hashes.get(app);
    if (!hashes) this.hashes.set(app, (hashes = new MirrorHashes()));
    const known = hashes;
    const staged = new Set<string>();
    const fileOf = new Map<string, string>();
    try {
      const entries = await mapLimit(nodes, HASH_CONCURRENCY, async (node): Promise<ManifestEntry> => {
        if (node.type !== 'file') return node;
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
    } finally {
      known.settle();
    }
  }

  /**
   * Files whose hash came from the cache may lack their blob (an earlier release was pruned and
   * collected): stage those from the mirror. Present ones are touched, restarting their GC grace.
   */
  private async stageMissing(manifest: ManifestEntry[], staged: Set<string>, fileOf: Map<string, string>, batch: BlobBatch): Promise<void> {
    const wanted = [...new Set(manifest.flatMap((entry) => (entry.type === 'file' && !staged.has(entry.sha256) ? [entry.sha256] : [])))];
    const present = await mapLimit(wanted, TOUCH_CONCURRENCY, (sha256) => this.options.blobs.touch(sha256));
    await mapLimit(
      wanted.filter((_, index) => !present[index]),
      HASH_CONCURRENCY,
      (sha256) => batch.add(createReadStream(fileOf.get(sha256)!), { sha256 }),
    );
  }

  /** Drops an app's mirror and hashes (the app was deleted); the caller holds the app's import turn. */
  async forget(app: string): Promise<void> {
    this.hashes.delete(app);
    await rm(join(this.options.importDir, app), { recursive: true, force: true });
  }

  /** The first line of the app's password file; never logged, never answered. */
  private async password(settings: AppInfo): Promise<string | undefined> {
    const name = settings.importPasswordFile;
    if (!name) return undefined;
    try {
      const text = await readFile(join(this.options.passwordDir, name), 'utf8');
      return text.split('\n')[0]!.replace(/\r$/, '');
    } catch (err) {
      throw new CodesyncError('IMPORT_AUTH_FAILED', `cannot read importPasswordFile ${JSON.stringify(name)} in the server's --import-password-dir: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
}

function missingSource(app: string): never {
  throw new CodesyncError('INVALID_REQUEST', `app ${app} has no importSource: send {"source": "rsync://..."} or set importSource on the app`);
}

function logSkipped(log: Logger, synced: MirrorSyncResult): void {
  if (synced.skipped === 0) return;
  log.warn({ skipped: synced.skipped, paths: synced.skippedNames.slice(0, SKIPPED_NAMES_LOGGED) }, 'import skipped paths a release cannot hold (devices, fifos, sockets)');
}
