import { readFile, readlink, readdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CompactManifest } from '../protocol/compact-manifest.js';
import { decodeManifestFile, encodeManifestFile } from '../protocol/compact-manifest-file.js';
import type { ManifestDelta } from '../protocol/delta.js';
import type { ManifestEntry } from '../protocol/manifest.js';
import type { ActiveRelease } from '../protocol/reload-socket.js';
import { isMissing } from '../protocol/runtime/durable-write.js';
import { writeFileDurably } from './cache/durable-fs.js';
import type { AppLayout } from './cache/layout.js';

/** `apps/<app>/state.json` (docs/agent.md): the active release as it outlives the agent. */
type StateFile = Pick<ActiveRelease, 'seq' | 'digest' | 'activatedAt' | 'storeId'>;

/** A release's full manifest as the node keeps it, so verification needs no server. */
export interface StoredManifest {
  seq: number;
  digest: string;
  /** Publish time of the release, for lag. */
  createdAt?: string;
  /** In the compact form: about the size of the canonical text, not an object per entry. */
  entries: CompactManifest;
}

/** A delta manifest whose base is itself a delta: only after crashes in a row; bounded anyway. */
const MAX_DELTA_CHAIN = 16;

/** `releases/<seq>` or a repair tree `releases/.<seq>.repair`: the seq `current` serves. */
const CURRENT_TARGET_RE = /^releases\/\.?(\d+)(?:\.repair)?$/;

export async function readState(layout: AppLayout): Promise<StateFile | undefined> {
  try {
    return JSON.parse(await readFile(layout.statePath, 'utf8')) as StateFile;
  } catch (err) {
    if (isMissing(err) || err instanceof SyntaxError) return undefined;
    throw err;
  }
}

/** Records `release` in `state.json`: `{seq, digest, activatedAt, storeId}`, `storeId` only when known. */
export async function writeState(layout: AppLayout, release: ActiveRelease): Promise<void> {
  const state: StateFile = { seq: release.seq, digest: release.digest, activatedAt: release.activatedAt };
  if (release.storeId !== undefined) state.storeId = release.storeId;
  await writeFileDurably(layout.statePath, `${JSON.stringify(state)}\n`);
}

/** The seq `current` points at, or undefined when there is no (parsable) `current` link. */
export async function readCurrentSeq(layout: AppLayout): Promise<number | undefined> {
  try {
    const match = CURRENT_TARGET_RE.exec(await readlink(layout.current));
    return match ? Number(match[1]) : undefined;
  } catch (err) {
    if (isMissing(err) || (err as NodeJS.ErrnoException).code === 'EINVAL') return undefined;
    throw err;
  }
}

/**
 * A release's manifest as its base's manifest plus the delta: what the agent writes before a
 * switch, since a full 100 000-entry manifest would cost more than the switch itself. The full
 * manifest replaces it in the background.
 */
export interface StoredDelta {
  seq: number;
  digest: string;
  createdAt?: string;
  base: number;
  delta: ManifestDelta;
}

/** The manifest of release `seq` as kept on disk; undefined when missing or not hashing to its digest. */
export async function readManifest(layout: AppLayout, seq: number, depth = 0): Promise<StoredManifest | undefined> {
  const manifest = await readManifestForm(layout, seq, depth).catch(() => undefined);
  // Local files were checked when they arrived; the digest catches one damaged since.
  return manifest?.entries.digest() === manifest?.digest ? manifest : undefined;
}

async function readManifestForm(layout: AppLayout, seq: number, depth: number): Promise<StoredManifest | undefined> {
  const compact = await readCompact(layout.manifestPath(seq), seq);
  if (compact) return compact;
  const full = await readJson<{ digest: string; createdAt?: string; entries: unknown[]; pathBytes?: unknown[] }>(layout.legacyManifestPath(seq));
  const stored = full ? undefined : await readJson<StoredDelta>(layout.manifestDeltaPath(seq));
  const base = stored && depth < MAX_DELTA_CHAIN ? await readManifest(layout, stored.base, depth + 1) : undefined;
  const from = full ?? stored;
  if (!from || (!full && !base)) return undefined;
  // JSON forms as older agents wrote them: canonical lines, or an object per entry.
  const entries = full ? (full.pathBytes ? CompactManifest.fromStored(full.entries, full.pathBytes) : CompactManifest.fromSorted(full.entries as ManifestEntry[])) : base!.entries.applyDelta(stored!.delta);
  const manifest: StoredManifest = { seq, digest: from.digest, entries };
  if (from.createdAt) manifest.createdAt = from.createdAt;
  return manifest;
}

/** `<seq>.manifest`: the compact form as it is held, one header line then its arrays and text. */
async function readCompact(path: string, seq: number): Promise<StoredManifest | undefined> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
  const read = decodeManifestFile(data);
  const { seq: named, digest, createdAt } = read?.header ?? {};
  if (!read || named !== seq || typeof digest !== 'string') return undefined;
  const manifest: StoredManifest = { seq, digest, entries: read.manifest };
  if (typeof createdAt === 'string') manifest.createdAt = createdAt;
  return manifest;
}

/**
 * Writes the full manifest in the compact form: its buffers as they are held, no string per
 * entry (a 10 000-entry manifest as JSON lines cost ~150 ms of CPU and its garbage every release).
 */
export async function writeManifest(layout: AppLayout, manifest: StoredManifest): Promise<void> {
  const header: Record<string, unknown> = { seq: manifest.seq, digest: manifest.digest };
  if (manifest.createdAt !== undefined) header.createdAt = manifest.createdAt;
  await writeFileDurably(layout.manifestPath(manifest.seq), Buffer.concat(encodeManifestFile(manifest.entries, header)));
  await unlink(layout.manifestDeltaPath(manifest.seq)).catch(() => {});
  await unlink(layout.legacyManifestPath(manifest.seq)).catch(() => {});
}

export async function writeManifestDelta(layout: AppLayout, stored: StoredDelta): Promise<void> {
  await writeFileDurably(layout.manifestDeltaPath(stored.seq), JSON.stringify(stored));
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    if (isMissing(err) || err instanceof SyntaxError) return undefined;
    throw err;
  }
}

/** Seqs of the release trees on disk, oldest first. */
export async function listReleases(layout: AppLayout): Promise<number[]> {
  try {
    return (await readdir(layout.releasesDir)).filter((name) => /^\d+$/.test(name)).map(Number).sort((a, b) => a - b);
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
}

/** Drops release trees (and their manifests) beyond the newest `keep`; never the one `current` serves. */
export async function dropOldReleases(layout: AppLayout, keep: number, currentSeq: number): Promise<number[]> {
  const seqs = (await listReleases(layout)).filter((seq) => seq !== currentSeq);
  const excess = seqs.slice(0, Math.max(0, seqs.length - (keep - 1)));
  for (const seq of excess) {
    await rm(layout.releaseDir(seq), { recursive: true, force: true });
    await dropReleaseManifests(layout, seq);
  }
  return excess;
}

/** Removes the manifests (full, delta and legacy JSON form) kept for release `seq`. */
export async function dropReleaseManifests(layout: AppLayout, seq: number): Promise<void> {
  await unlink(layout.manifestPath(seq)).catch(() => {});
  await unlink(layout.legacyManifestPath(seq)).catch(() => {});
  await unlink(layout.manifestDeltaPath(seq)).catch(() => {});
}

/** Repair trees (`releases/.<seq>.repair`) a crash left behind, unless `current` serves one. */
export async function dropStrayRepairs(layout: AppLayout): Promise<void> {
  const served = await readlink(layout.current).catch(() => '');
  for (const name of await readdir(layout.releasesDir)) {
    if (name.endsWith('.repair') && `releases/${name}` !== served) await rm(join(layout.releasesDir, name), { recursive: true, force: true });
  }
}
