import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { ApiClient } from '../../protocol/client/api-client.js';
import { validateToCompact } from '../../protocol/compact-manifest-builder.js';
import type { ManifestDelta } from '../../protocol/delta.js';
import { CodesyncError, isCodesyncError } from '../../protocol/errors.js';
import type { ManifestRules } from '../../protocol/manifest.js';
import { assertManifestDigest, assertSeq } from '../../protocol/release-id.js';
import type { ActiveRelease } from '../../protocol/reload-socket.js';
import { dropOldReleases, dropReleaseManifests, dropStrayRepairs, readCurrentSeq, readManifest, readState, writeManifest, writeManifestDelta, writeState, type StoredManifest } from '../app-state.js';
import { classifyFsError, flushPath } from '../cache/durable-fs.js';
import { isMissing } from '../../protocol/runtime/durable-write.js';
import type { AppLayout } from '../cache/layout.js';
import type { AgentMetrics } from '../observability/metrics.js';
import type { ObjectCache } from '../cache/object-cache.js';
import type { PullSlots } from '../link/pull-slots.js';
import type { ReleaseTrust } from '../link/release-trust.js';
import { fetchMissingBlobs } from './missing-blobs.js';
import { placeRelease, switchCurrent } from './switcher.js';
import { checkDeltaTarget } from './target-manifest.js';
import { applyDelta, buildTree } from './tree-builder.js';
import { ReleaseRecycler } from './release-recycler.js';
import { BackgroundPause } from './background-pause.js';
import { PhaseClock } from './phase-clock.js';
import { PlacedTreeBuild } from './placed-tree-build.js';
import { checkTree, type TreeProblem } from './tree-check.js';
import { UnwaitedReleaseSlots } from './unwaited-release-slots.js';

/** The pause after a switch before its background work (`backgroundDelayMs`). */
export const DEFAULT_BACKGROUND_DELAY_MS = 1000;

export interface SyncEngineOptions {
  layout: AppLayout;
  cache: ObjectCache;
  client: ApiClient;
  slots: PullSlots;
  metrics: AgentMetrics;
  log: Logger;
  /**
   * Keep a spare tree of `current` ready so the next release costs only its delta, and retire
   * release trees beyond `keepReleases` after each switch (default true; `codesync pull` retires
   * its own).
   */
  spare?: boolean;
  /** Release trees kept, `current` included (default 3); older ones are recycled as the spare. */
  keepReleases?: number;
  /**
   * Milliseconds after a switch before its background work starts (the full manifest written, old
   * trees recycled into the spare, then the cache pruned), so nodes switching at the same moment
   * keep the CPU for their critical path; the next sync ends the pause at once. Default 1000 with
   * a spare (the agent), 0 without (`codesync pull` settles at once).
   */
  backgroundDelayMs?: number;
  /** Keys a release must be signed by; without, every release is accepted (docs/security.md). */
  trust?: ReleaseTrust | undefined;
  /**
   * The app's tree rules as the server lists the app (external symlinks allowed or not), read at
   * each check. Default: none, external symlinks refused.
   */
  manifestRules?: () => ManifestRules;
}

/**
 * Brings one app's directory to a release (docs/agent.md): the delta against what `current` serves,
 * the missing blobs into the cache, the new tree built from a spare hardlinked clone of `current`
 * by applying only the delta, then an atomic switch. Used by the agent and by `codesync pull`.
 * Not reentrant: one AppWorker drives it.
 */
export class SyncEngine {
  private readonly options: SyncEngineOptions;
  /** Manifest of the tree `current` serves, once it is known good; undefined forces a full build. */
  private held: StoredManifest | undefined;
  /** The held manifest passed this agent's check under rules refusing external symlinks. */
  private heldStrict = false;
  /** Store (`x-codesync-store-id`) the held release came from; undefined when unknown. */
  private heldStore: string | undefined;
  /** The spare tree and old releases; undefined when the caller retires its own (`spare: false`). */
  private readonly recycler: ReleaseRecycler | undefined;
  /** The full manifest of the release just switched in, being written after the switch. */
  private persisting: Promise<void> = Promise.resolve();
  /** The pause before the last switch's background work; ended by the next sync. */
  private pause: BackgroundPause | undefined;
  /** The options blob fetches take: the caller's, each pull slot given back without the sync waiting for the answer. */
  private readonly fetchOptions: SyncEngineOptions & { slots: UnwaitedReleaseSlots };

  constructor(options: SyncEngineOptions) {
    this.options = options;
    this.fetchOptions = { ...options, slots: new UnwaitedReleaseSlots(options.slots) };
    if (options.spare !== false) this.recycler = new ReleaseRecycler({ layout: options.layout, cache: options.cache, log: options.log, keepReleases: options.keepReleases });
  }

  get layout(): AppLayout {
    return this.options.layout;
  }

  get current(): StoredManifest | undefined {
    return this.held;
  }

  /** True when `current` serves release `seq` of store `storeId`; an unknown store matches any. */
  holds(seq: number, storeId?: string): boolean {
    return this.held?.seq === seq && this.sameStore(storeId);
  }

  private sameStore(storeId: string | undefined): boolean {
    return storeId === undefined || this.heldStore === undefined || storeId === this.heldStore;
  }

  /**
   * Start-up recovery: drops work in progress, then takes `current` as held only when its
   * manifest is known and its tree passes the quick check (structure, sizes, modes). A tree that
   * fails is re-synced by the next `sync`, never trusted as a base. The activation returned is
   * the one `state.json` recorded (its real switch time), not a new one.
   */
  async recover(signal: AbortSignal): Promise<ActiveRelease | undefined> {
    const { layout, log } = this.options;
    try {
      await rm(layout.stagingDir, { recursive: true, force: true });
      await mkdir(layout.releasesDir, { recursive: true });
    } catch (err) {
      throw classifyFsError(err, layout.dir);
    }
    const seq = await readCurrentSeq(layout);
    await dropStrayRepairs(layout);
    if (seq === undefined) return undefined;
    const manifest = (await readManifest(layout, seq)) ?? (await this.fetchGenuineManifest(seq, signal).catch(() => undefined));
    if (!manifest) {
      log.warn({ seq }, 'no manifest for the release current serves: it will be re-synced');
      return undefined;
    }
    const problems = await checkTree(layout.current, manifest.entries, { hash: false, signal });
    if (problems.length > 0) {
      log.error({ seq, problems: problems.slice(0, 10).map(({ path, kind }) => ({ path, kind })), count: problems.length }, 'current is damaged: re-syncing it');
      await this.dropDamagedObjects(problems);
      return undefined;
    }
    this.held = manifest;
    const state = await readState(layout);
    const recorded = state?.seq === seq ? state : undefined;
    this.heldStore = recorded?.storeId;
    this.recycler?.prepare(manifest, signal);
    // A crash between the switch and the write of state.json left it naming the release before:
    // the switch time is then unknown, now is the nearest, and it is rewritten.
    const activation = this.active(manifest, recorded?.activatedAt ?? new Date().toISOString(), this.heldStore);
    if (!recorded) await writeState(layout, activation).catch((err: unknown) => log.warn({ seq, err }, 'could not rewrite state.json; the next switch does'));
    return activation;
  }

  /**
   * Makes `current` serve release `seq` of store `storeId` (when the server names one); returns
   * the activation, or undefined when already there. A release of another store than the held
   * one comes from a store lost and recreated: never compared with the held seq, built from its
   * full manifest (no delta against a seq of the old store), objects reused from the cache.
   */
  async sync(seq: number, signal: AbortSignal, storeId?: string): Promise<ActiveRelease | undefined> {
    const { layout, metrics, log, cache } = this.options;
    assertSeq(seq);
    if (this.holds(seq, storeId)) return undefined;
    this.pause?.now();
    await this.persisting;
    if (!this.held && (await readCurrentSeq(layout)) === seq) {
      // `current` serves a damaged copy of `seq` (found at start): a fresh tree of the same seq.
      const { storeId: genuineStore, ...manifest } = await this.fetchGenuineManifest(seq, signal);
      return this.replaceFromNewStore(manifest, genuineStore, signal);
    }
    const replaced = this.held !== undefined && !this.sameStore(storeId);
    if (replaced) {
      log.warn({ seq, heldSeq: this.held?.seq, heldStore: this.heldStore, storeId }, 'the server is a new store (its data was lost or replaced): current keeps serving; following the new store from its full manifest');
    }
    const clock = new PhaseClock();
    // Nothing held: a whole tree to fetch, whose write thread starts while the manifest comes.
    if (!this.held) cache.prepareBulkWrites();
    const target = await this.targetOf(seq, replaced ? undefined : this.held, signal);
    clock.lap('manifest');
    const store = target.storeId ?? storeId;
    if (replaced && (await readCurrentSeq(layout)) === seq) return this.replaceFromNewStore(target.manifest, store, signal);
    const step = target.step;
    const base = step?.base;
    const upserts = step ? [...step.delta.added, ...step.delta.changed] : undefined;
    // Without a step every entry is new: walked in the compact form, never listed as objects.
    const upsertFiles = upserts ? upserts.filter((entry) => entry.type === 'file').length : target.manifest.entries.count('file');
    // The manifest must be durable before the switch: after a crash `current` never serves a
    // release without one. Written while the blobs come (its fsyncs overlap the transfer, off
    // the critical path): after a delta, base + delta (small), the full manifest once switched.
    const manifestWritten = (step ? writeManifestDelta(layout, { seq, digest: target.manifest.digest, createdAt: target.manifest.createdAt, base: step.base.seq, delta: step.delta }) : writeManifest(layout, target.manifest)).then(
      () => undefined,
      (err: unknown) => err,
    );
    const activation = await cache.use(async () => {
      // Without a step the whole tree is built, each file linked as its object arrives.
      const placing = step ? undefined : new PlacedTreeBuild(join(layout.stagingDir, `build-${seq}`), target.manifest.entries, cache, signal);
      try {
        const fetched = await fetchMissingBlobs(this.fetchOptions, seq, base, upserts ?? target.manifest.entries, signal);
        clock.lap('fetched');
        metrics.reusedFiles.inc({ app: layout.app }, upsertFiles - fetched);
        const dir = await this.buildRelease(seq, target.manifest, step, placing, signal);
        clock.lap('built');
        await placeRelease(layout, seq, dir);
        const failed = await manifestWritten;
        if (failed) throw failed;
        clock.lap('manifestWritten');
      } catch (err) {
        await placing?.abandon();
        // A manifest of a release `current` never served is no base for anything: not kept.
        if ((await readCurrentSeq(layout).catch(() => undefined)) !== seq) await manifestWritten.then(() => dropReleaseManifests(layout, seq)).catch(() => {});
        throw err;
      }
      await switchCurrent(layout, layout.currentTarget(seq));
      clock.lap('switched');
      return this.active(target.manifest, new Date().toISOString(), store);
    });
    this.held = target.manifest;
    this.heldStrict = target.strict;
    this.heldStore = store;
    // The old store's other releases can never be a base again, nor its steps lead anywhere.
    if (replaced) this.recycler?.forgetSteps();
    if (replaced) await dropOldReleases(layout, 1, seq).catch((err: unknown) => log.warn({ err }, "could not drop the old store's releases"));
    log.info({ seq, base: base?.seq, changed: upserts?.length ?? target.manifest.entries.length, removed: step?.delta.removed.length ?? 0, ms: clock.ms, cpuMs: clock.cpuMs }, 'switched');
    // `current` already serves the release: state.json (its switch time, for restarts) and the
    // full manifest follow in the background. A failed write (a full disk) must not fail the sync,
    // or the retry would rebuild the very directory `current` points at; recovery copes with a
    // state.json naming an older seq.
    // The rest waits for the pause (the recycler waits for `persisting`).
    const stateWritten = writeState(layout, activation).catch((err: unknown) => log.warn({ seq, err }, 'switched, but could not write state.json; the next switch rewrites it'));
    this.pause = new BackgroundPause(this.options.backgroundDelayMs ?? (this.recycler ? DEFAULT_BACKGROUND_DELAY_MS : 0), signal);
    const paused = this.pause.over;
    this.persisting = Promise.all([stateWritten, paused]).then(() => undefined);
    if (step) {
      this.recycler?.recordStep(seq, step.base, step.delta);
      this.persisting = this.persisting.then(() => writeManifest(layout, target.manifest)).catch((err: unknown) => log.warn({ seq, err }, 'could not write the full manifest; its delta form stays'));
    }
    this.recycler?.afterSwitch(target.manifest, this.persisting, signal);
    return activation;
  }

  /** The record of `manifest` as the release `current` serves since `activatedAt`, from store `storeId`. */
  private active(manifest: StoredManifest, activatedAt: string, storeId: string | undefined): ActiveRelease {
    const { layout } = this.options;
    return { app: layout.app, seq: manifest.seq, digest: manifest.digest, path: layout.current, activatedAt, createdAt: manifest.createdAt, storeId };
  }

  /** Waits until the full manifest of `current` is on disk (before old releases and their manifests go) and the pull slot is given back. */
  async settled(): Promise<void> {
    await this.persisting;
    await this.fetchOptions.slots.released();
  }

  /**
   * Removes the cache objects behind damaged files: a file written in place through a hardlink
   * damages its object (and every release linking it), so the object is fetched afresh.
   */
  async dropDamagedObjects(problems: readonly TreeProblem[]): Promise<void> {
    for (const { entry, kind } of problems) {
      if (entry?.type === 'file' && (kind === 'mode' || kind === 'size' || kind === 'content')) await this.options.cache.remove(entry.sha256, entry.mode);
    }
  }

  /** The quick or full check of the tree `current` serves against its manifest. */
  async check(hash: boolean, signal: AbortSignal): Promise<TreeProblem[]> {
    const held = this.held;
    if (!held) return [];
    return checkTree(this.options.layout.current, held.entries, { hash, signal });
  }

  /**
   * `current` serves a tree named like the target (`releases/<seq>`) that is not it: a damaged
   * copy, or release `seq` of a store since replaced. Rebuilt with two atomic switches, so
   * `current` never serves a missing or half-built tree.
   */
  private async replaceFromNewStore(manifest: StoredManifest, storeId: string | undefined, signal: AbortSignal): Promise<ActiveRelease> {
    const { layout } = this.options;
    this.recycler?.forgetSteps();
    this.heldStrict = false;
    await writeManifest(layout, manifest);
    await this.rebuildCurrent(manifest, signal);
    this.heldStore = storeId;
    const activation = this.active(manifest, new Date().toISOString(), storeId);
    await writeState(layout, activation);
    return activation;
  }

  /**
   * Replaces the tree `current` serves with a fresh one built from the cache (after drift, say),
   * switching atomically twice so `current` always names a complete tree and ends on
   * `releases/<seq>`. Objects the caller removed from the cache are fetched afresh.
   */
  async rebuildCurrent(held: StoredManifest, signal: AbortSignal): Promise<void> {
    const { layout, cache } = this.options;
    this.pause?.now();
    await this.recycler?.drop();
    await cache.use(async () => {
      await fetchMissingBlobs(this.fetchOptions, held.seq, undefined, held.entries, signal);
      const repair = join(layout.releasesDir, `.${held.seq}.repair`);
      await rm(repair, { recursive: true, force: true });
      await buildTree(repair, held.entries, cache, signal);
      await switchCurrent(layout, `releases/.${held.seq}.repair`);
      const damaged = join(layout.stagingDir, `damaged-${held.seq}-${Date.now()}`);
      await mkdir(layout.stagingDir, { recursive: true });
      await rename(layout.releaseDir(held.seq), damaged).catch((err: unknown) => {
        // A crash during an earlier repair may have left no releases/<seq>: nothing to set aside.
        if (!isMissing(err)) throw err;
      });
      await buildTree(layout.releaseDir(held.seq), held.entries, cache, signal);
      await flushPath(layout.releasesDir);
      await switchCurrent(layout, layout.currentTarget(held.seq));
      await rm(repair, { recursive: true, force: true });
      await rm(damaged, { recursive: true, force: true });
    });
    this.held = held;
    this.recycler?.prepare(held, signal);
  }

  /** Waits for background work (the spare, reserves, old releases, the slot's give-back) to settle; the cache prune waits for it. */
  async idle(): Promise<void> {
    await this.recycler?.idle();
    await this.fetchOptions.slots.released();
  }

  /** The target manifest and the step to it from `held`; no step when the server no longer holds our base (a full build). */
  private async targetOf(seq: number, held: StoredManifest | undefined, signal: AbortSignal): Promise<{ manifest: StoredManifest; step: { base: StoredManifest; delta: ManifestDelta } | undefined; storeId: string | undefined; strict: boolean }> {
    const { layout } = this.options;
    const rules = this.options.manifestRules?.() ?? {};
    let manifest: StoredManifest;
    let step: { base: StoredManifest; delta: ManifestDelta } | undefined;
    const base = held;
    let signature: unknown;
    let storeId: string | undefined;
    const response = base && (await this.options.client.manifestDelta(layout.app, seq, base.seq, signal).catch((err: unknown) => {
      // The server dropped our base release (it keeps a few): a full build from the cache instead.
      if (isCodesyncError(err, 'RELEASE_NOT_FOUND')) return undefined;
      throw err;
    }));
    // A delta from another store than the held release's is against a seq that is not ours.
    const body = response && this.sameStore(response.storeId) ? response.body : undefined;
    if (base && body) {
      storeId = response?.storeId;
      assertManifestDigest(body.digest);
      const checked = checkDeltaTarget(base.entries, body, rules, this.heldStrict);
      step = { base, delta: checked.delta };
      manifest = { seq, digest: body.digest, entries: checked.manifest };
      signature = body.signature;
    } else {
      ({ signature, storeId, ...manifest } = await this.fetchStoredManifest(seq, signal));
    }
    this.assertGenuine(manifest, signature);
    return { manifest, step, storeId, strict: rules.externalSymlinks !== true };
  }

  /**
   * A release's full manifest, checked as a sync target is: the server may name another tree under
   * a seq this node installed before, so a manifest fetched again is trusted no more than a new one.
   */
  private async fetchGenuineManifest(seq: number, signal: AbortSignal): Promise<StoredManifest & { storeId: string | undefined }> {
    const { signature, ...manifest } = await this.fetchStoredManifest(seq, signal);
    this.assertGenuine(manifest, signature);
    return manifest;
  }

  /** The manifest hashes to the digest the server names and, with trusted keys, a trusted key signed it. */
  private assertGenuine(manifest: StoredManifest, signature: unknown): void {
    const { layout, trust } = this.options;
    const digest = manifest.entries.digest();
    if (digest !== manifest.digest) {
      throw new CodesyncError('CHECKSUM_MISMATCH', `manifest of ${layout.app} seq ${manifest.seq} hashes to ${digest}, the server says ${manifest.digest}: refused`);
    }
    trust?.check(layout.app, digest, signature);
  }

  private async fetchStoredManifest(seq: number, signal: AbortSignal): Promise<StoredManifest & { signature?: unknown; storeId: string | undefined }> {
    const { body, storeId } = await this.options.client.manifest(this.options.layout.app, seq, signal);
    assertManifestDigest(body.digest);
    const manifest: StoredManifest & { signature?: unknown; storeId: string | undefined } = { seq, digest: body.digest, entries: validateToCompact(body.entries, this.options.manifestRules?.()), storeId };
    if (typeof body.createdAt === 'string') manifest.createdAt = body.createdAt;
    manifest.signature = body.signature;
    return manifest;
  }

  /** A complete tree of the target under `.staging`: `placing`'s, or from the spare when one matches the step's base. */
  private async buildRelease(seq: number, manifest: StoredManifest, step: { base: StoredManifest; delta: ManifestDelta } | undefined, placing: PlacedTreeBuild | undefined, signal: AbortSignal): Promise<string> {
    const { layout, cache } = this.options;
    const spare = await this.recycler?.takeSpare(step?.base.seq);
    if (placing) return placing.finish(signal);
    if (spare && step) {
      // A delta that fails half-applied leaves a tree matching neither release: never reused.
      await applyDelta(spare, step.delta, cache, signal, (path) => manifest.entries.holds(path)).catch(async (err: unknown) => {
        await rm(spare, { recursive: true, force: true }).catch(() => {});
        throw err;
      });
      return spare;
    }
    const dir = join(layout.stagingDir, `build-${seq}`);
    await rm(dir, { recursive: true, force: true });
    await buildTree(dir, manifest.entries, cache, signal);
    return dir;
  }
}
