import { mkdir, readFile, readlink, readdir, rm, unlink } from 'node:fs/promises';
import type { ManifestEntry } from '../protocol/manifest.js';
import { isMissing, writeFileAtomic } from './durable-fs.js';
import type { AppLayout } from './layout.js';

/** `apps/<app>/state.json` (DESIGN §5). */
export interface AppState {
  seq: number;
  digest: string;
  activatedAt: string;
}

/** A release's full manifest as the node keeps it, so verification needs no server. */
export interface StoredManifest {
  seq: number;
  digest: string;
  /** Publish time of the release, for lag. */
  createdAt?: string;
  entries: ManifestEntry[];
}

/** `releases/<seq>` or a repair tree `releases/.<seq>.repair`: the seq `current` serves. */
const CURRENT_TARGET_RE = /^releases\/\.?(\d+)(?:\.repair)?$/;

export async function readState(layout: AppLayout): Promise<AppState | undefined> {
  try {
    return JSON.parse(await readFile(layout.statePath, 'utf8')) as AppState;
  } catch (err) {
    if (isMissing(err) || err instanceof SyntaxError) return undefined;
    throw err;
  }
}

export async function writeState(layout: AppLayout, state: AppState): Promise<void> {
  await writeFileAtomic(layout.statePath, `${JSON.stringify(state)}\n`);
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

export async function readManifest(layout: AppLayout, seq: number): Promise<StoredManifest | undefined> {
  try {
    return JSON.parse(await readFile(layout.manifestPath(seq), 'utf8')) as StoredManifest;
  } catch (err) {
    if (isMissing(err) || err instanceof SyntaxError) return undefined;
    throw err;
  }
}

export async function writeManifest(layout: AppLayout, manifest: StoredManifest): Promise<void> {
  await mkdir(layout.manifestsDir, { recursive: true });
  await writeFileAtomic(layout.manifestPath(manifest.seq), JSON.stringify(manifest));
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
    await unlink(layout.manifestPath(seq)).catch(() => {});
  }
  return excess;
}
