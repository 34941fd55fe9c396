import { mkdir, readFile, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { importSettingsOf, type AppInfo, type AppSpec, type ReleaseSummary } from '../../protocol/api.js';
import { manifestDigest } from '../../protocol/digest.js';
import { CodesyncError } from '../../protocol/errors.js';
import { manifestBytes, type ManifestEntry, type ManifestRules, type ReleaseMeta } from '../../protocol/manifest.js';
import type { ReleaseSignature } from '../../protocol/release-signature.js';
import type { BlobStore } from './blob-store.js';
import { readdirOrEmpty, type DurableFs } from './durable-fs.js';
import { fsyncDir } from '../../protocol/runtime/durable-write.js';
import { KeyedMutex, SharedExclusiveLock } from './locks.js';
import { mapLimit } from '../../protocol/runtime/map-limit.js';
import { parseAppRecord, parseReleaseRecord, summaryOf, type AppRecord, type ReleaseRecord } from './records.js';

export interface PublishResult {
  release: ReleaseSummary;
  /** True when the tree equals the latest release: no seq was allocated. */
  unchanged: boolean;
}

export interface ReleaseStoreListener {
  released(release: ReleaseSummary): void;
  appChanged(app: AppInfo): void;
  /** The app was deleted: agents stop holding it. */
  appDeleted(name: string): void;
  /** Release records were deleted: their blobs may now be garbage. */
  pruned(app: string, count: number): void;
}

interface AppState {
  record: AppRecord;
  /** Retained releases, oldest first. */
  releases: ReleaseSummary[];
}

/**
 * Manifests agents fetch again and again for the same step (records are immutable); bounded by
 * entries held, so a few huge trees cannot fill the heap.
 */
const RECORD_CACHE_ENTRIES = 2_000_000;
/** Blob existence checks in flight at once for one publish. */
const STAT_CONCURRENCY = 64;

/**
 * Apps and their releases under `apps/<app>/`. Each release record is written durably before the
 * app record moves `nextSeq` on, and only complete records are ever read back, so a crash at any
 * instant leaves no partial release. Seqs are allocated under a per-app mutex.
 */
export class ReleaseStore {
  private readonly apps = new Map<string, AppState>();
  /** nextSeq of deleted apps: an app created again under the same name never reuses a seq. */
  private readonly deleted = new Map<string, number>();
  private readonly appLocks = new KeyedMutex();
  /** Shared by publishes between their blob check and their record write; exclusive for GC. */
  readonly blobLock = new SharedExclusiveLock();
  private readonly recordCache = new Map<string, ReleaseRecord>();
  private cachedEntries = 0;
  private readonly appsDir: string;

  constructor(
    private readonly fs: DurableFs,
    private readonly blobs: BlobStore,
    private readonly options: { keepReleases: number; logger: Logger; listener: ReleaseStoreListener },
  ) {
    this.appsDir = join(fs.dataDir, 'apps');
  }

  async init(): Promise<void> {
    await mkdir(this.appsDir, { recursive: true });
    for (const name of await readdirOrEmpty(this.appsDir)) {
      let record: AppRecord;
      try {
        record = parseAppRecord(await readFile(join(this.appsDir, name, 'app.json'), 'utf8'));
      } catch (err) {
        // An app dir without a complete app.json was never created: no release was written in it.
        this.options.logger.warn({ app: name, err }, 'ignoring app without a readable app.json');
        continue;
      }
      if (record.deletedAt) {
        this.deleted.set(name, record.nextSeq);
        continue;
      }
      const releases: ReleaseSummary[] = [];
      for (const file of await readdirOrEmpty(this.releasesDir(name))) {
        if (!/^\d+\.json$/.test(file)) continue;
        releases.push(summaryOf(parseReleaseRecord(await readFile(join(this.releasesDir(name), file), 'utf8'))));
      }
      releases.sort((a, b) => a.seq - b.seq);
      const maxSeq = releases.at(-1)?.seq ?? 0;
      record.nextSeq = Math.max(record.nextSeq, maxSeq + 1);
      this.apps.set(name, { record, releases });
    }
  }

  appNames(): string[] {
    return [...this.apps.keys()].sort();
  }

  app(name: string): AppInfo | undefined {
    const state = this.apps.get(name);
    return state && infoOf(state);
  }

  requireApp(name: string): AppInfo {
    const info = this.app(name);
    if (!info) throw appNotFound(name);
    return info;
  }

  /**
   * The tree rules an app's publishes are validated with: external symlinks only when the app
   * allows them. An app that does not exist yet gets the defaults.
   */
  manifestRules(name: string): ManifestRules {
    return { externalSymlinks: this.apps.get(name)?.record.externalSymlinks === 'allow' };
  }

  /** Retained releases, newest first. */
  releases(name: string): ReleaseSummary[] {
    this.requireApp(name);
    return [...this.apps.get(name)!.releases].reverse();
  }

  latest(name: string): ReleaseSummary | undefined {
    return this.apps.get(name)?.releases.at(-1);
  }

  async release(name: string, seq: number): Promise<ReleaseRecord> {
    const state = this.apps.get(name);
    if (!state) throw appNotFound(name);
    if (!state.releases.some((release) => release.seq === seq)) {
      throw new CodesyncError('RELEASE_NOT_FOUND', `app ${name} has no release ${seq} (it may have been pruned)`);
    }
    const key = `${name}/${seq}`;
    const cached = this.recordCache.get(key);
    if (cached) return cached;
    const record = parseReleaseRecord(await readFile(this.releasePath(name, seq), 'utf8'));
    this.recordCache.set(key, record);
    this.cachedEntries += record.entries.length;
    for (const [oldKey, old] of this.recordCache) {
      if (this.cachedEntries <= RECORD_CACHE_ENTRIES || oldKey === key) break;
      this.uncache(oldKey, old);
    }
    return record;
  }

  /** Creates the app or updates its spec; lowering keepReleases prunes at once. */
  async putApp(name: string, spec: AppSpec): Promise<AppInfo> {
    return this.appLocks.run(name, async () => {
      const state = await this.ensureApp(name, spec);
      const record = { ...state.record, ...definedOf(spec) };
      if (JSON.stringify(record) !== JSON.stringify(state.record)) {
        await this.fs.writeFile(this.appPath(name), JSON.stringify(record));
        state.record = record;
        this.options.listener.appChanged(infoOf(state));
      }
      await this.prune(state);
      return infoOf(state);
    });
  }

  /**
   * Deletes the app and its release records (blobs go at the next GC). A tombstone keeps its
   * nextSeq, so agents that still hold seq N never mistake a recreated app's seq 1 for older.
   */
  async deleteApp(name: string): Promise<void> {
    await this.appLocks.run(name, async () => {
      const state = this.apps.get(name);
      if (!state) throw appNotFound(name);
      // The tombstone is durable before any record goes: a crash in between leaves a deleted app.
      await this.fs.writeFile(this.appPath(name), JSON.stringify({ ...state.record, deletedAt: new Date().toISOString() }));
      this.apps.delete(name);
      this.deleted.set(name, state.record.nextSeq);
      for (const { seq } of state.releases) {
        const key = `${name}/${seq}`;
        const cached = this.recordCache.get(key);
        if (cached) this.uncache(key, cached);
      }
      await rm(this.releasesDir(name), { recursive: true, force: true });
      this.options.logger.info({ app: name, releases: state.releases.length }, 'app deleted');
      this.options.listener.appDeleted(name);
      if (state.releases.length > 0) this.options.listener.pruned(name, state.releases.length);
    });
  }

  /**
   * Publishes a validated, sorted manifest as the app's next release. An unknown app is
   * APP_NOT_FOUND unless `create` gives the spec to create it with (apps exist on purpose: a
   * mistyped name must not ship a tree to every node). Throws BLOBS_MISSING (with `missing`)
   * when a file's blob is absent. `signature` (shape-checked by the caller; the server holds no
   * keys) is stored with the record.
   */
  async publish(name: string, entries: ManifestEntry[], meta: ReleaseMeta, rollbackOf?: number, signature?: ReleaseSignature, create?: AppSpec): Promise<PublishResult> {
    return this.appLocks.run(name, async () => {
      if (!this.apps.has(name) && !create) throw appNotFound(name, true);
      const digest = manifestDigest(entries);
      const latest = this.apps.get(name)?.releases.at(-1);
      // The same tree newly signed (or signed by another key, as in a rotation) is a new release:
      // folding it into an unsigned latest would drop the signature agents are waiting for.
      if (latest?.digest === digest && (!signature || latest.keyId === signature.keyId)) return { release: latest, unchanged: true };
      const { state, release } = await this.blobLock.withShared(async () => {
        // Checked before the app is created, so a refused publish leaves no trace.
        await this.assertBlobsPresent(entries);
        const state = await this.ensureApp(name, create ?? {});
        const record: ReleaseRecord = {
          app: name,
          seq: state.record.nextSeq,
          digest,
          createdAt: new Date().toISOString(),
          meta,
          ...(rollbackOf === undefined ? {} : { rollbackOf }),
          files: entries.filter((entry) => entry.type === 'file').length,
          bytes: manifestBytes(entries),
          entries,
          ...(signature ? { signature } : {}),
        };
        await this.fs.writeFile(this.releasePath(name, record.seq), JSON.stringify(record));
        state.record = { ...state.record, nextSeq: record.seq + 1 };
        await this.fs.writeFile(this.appPath(name), JSON.stringify(state.record));
        // Listed before the shared lock is released, so GC never misses its blobs.
        const summary = summaryOf(record);
        state.releases.push(summary);
        return { state, release: summary };
      });
      this.options.listener.released(release);
      await this.prune(state);
      return { release, unchanged: false };
    });
  }

  /** Every sha256 a retained release references. */
  async referencedBlobs(): Promise<Set<string>> {
    const referenced = new Set<string>();
    for (const [name, state] of this.apps) {
      for (const { seq } of [...state.releases]) {
        let record: ReleaseRecord;
        try {
          record = await this.release(name, seq);
        } catch (err) {
          // Pruned meanwhile: its blobs are no longer needed.
          if ((err as CodesyncError).code === 'RELEASE_NOT_FOUND' || (err as NodeJS.ErrnoException).code === 'ENOENT') continue;
          throw err;
        }
        for (const entry of record.entries) if (entry.type === 'file') referenced.add(entry.sha256);
      }
    }
    return referenced;
  }

  private async assertBlobsPresent(entries: ManifestEntry[]): Promise<void> {
    const wanted = [...new Set(entries.flatMap((entry) => (entry.type === 'file' ? [entry.sha256] : [])))];
    const present = await mapLimit(wanted, STAT_CONCURRENCY, (sha256) => this.blobs.has(sha256));
    const missing = wanted.filter((_, index) => !present[index]).sort();
    if (missing.length === 0) return;
    // The client will upload the rest and rely on these being kept meanwhile: restart their grace.
    await mapLimit(
      wanted.filter((_, index) => present[index]),
      STAT_CONCURRENCY,
      (sha256) => this.blobs.touch(sha256),
    );
    throw new CodesyncError('BLOBS_MISSING', `${missing.length} blob(s) are missing; upload them and publish again`, { details: { missing } });
  }

  private async ensureApp(name: string, spec: AppSpec): Promise<AppState> {
    const existing = this.apps.get(name);
    if (existing) return existing;
    const tombstone = this.deleted.get(name);
    // Records a crash left behind while the app was being deleted must not come back with it.
    if (tombstone !== undefined) await rm(this.releasesDir(name), { recursive: true, force: true });
    const record: AppRecord = {
      name,
      nodeSelector: spec.nodeSelector ?? '',
      keepReleases: spec.keepReleases ?? this.options.keepReleases,
      createdAt: new Date().toISOString(),
      nextSeq: tombstone ?? 1,
    };
    await this.fs.writeFile(this.appPath(name), JSON.stringify(record));
    const state: AppState = { record, releases: [] };
    this.apps.set(name, state);
    this.deleted.delete(name);
    this.options.logger.info({ app: name }, 'app created');
    this.options.listener.appChanged(infoOf(state));
    return state;
  }

  /** Deletes the records of releases past keepReleases, oldest first; blobs go at the next GC. */
  private async prune(state: AppState): Promise<void> {
    const name = state.record.name;
    let pruned = 0;
    while (state.releases.length > state.record.keepReleases) {
      const oldest = state.releases.shift()!;
      const key = `${name}/${oldest.seq}`;
      const cached = this.recordCache.get(key);
      if (cached) this.uncache(key, cached);
      await unlink(this.releasePath(name, oldest.seq)).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
      pruned++;
    }
    if (pruned > 0) {
      await fsyncDir(this.releasesDir(name));
      this.options.logger.info({ app: name, pruned }, 'releases pruned');
      this.options.listener.pruned(name, pruned);
    }
  }

  private uncache(key: string, record: ReleaseRecord): void {
    this.recordCache.delete(key);
    this.cachedEntries -= record.entries.length;
  }

  private appPath(name: string): string {
    return join(this.appsDir, name, 'app.json');
  }

  private releasesDir(name: string): string {
    return join(this.appsDir, name, 'releases');
  }

  private releasePath(name: string, seq: number): string {
    return join(this.releasesDir(name), `${seq}.json`);
  }
}

function infoOf(state: AppState): AppInfo {
  const { name, nodeSelector, keepReleases, externalSymlinks, createdAt } = state.record;
  return { name, nodeSelector, keepReleases, ...(externalSymlinks === undefined ? {} : { externalSymlinks }), createdAt, ...importSettingsOf(state.record), latest: state.releases.at(-1) ?? null };
}

function definedOf(spec: AppSpec): Partial<AppRecord> {
  const out: Partial<AppRecord> = {};
  if (spec.nodeSelector !== undefined) out.nodeSelector = spec.nodeSelector;
  if (spec.keepReleases !== undefined) out.keepReleases = spec.keepReleases;
  Object.assign(out, importSettingsOf(spec));
  if (spec.externalSymlinks !== undefined) out.externalSymlinks = spec.externalSymlinks;
  return out;
}

function appNotFound(name: string, hint = false): CodesyncError {
  const how = hint ? `; create it with \`codesync apps create ${name} --selector S\`, or publish with --create --selector S` : '';
  return new CodesyncError('APP_NOT_FOUND', `app ${JSON.stringify(name)} does not exist${how}`);
}
