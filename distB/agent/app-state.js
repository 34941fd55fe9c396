import { readFile, readlink, readdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CompactManifest } from '../protocol/compact-manifest.js';
import { decodeManifestFile, encodeManifestFile } from '../protocol/compact-manifest-file.js';
import { isMissing } from '../protocol/runtime/durable-write.js';
import { writeFileDurably } from './cache/durable-fs.js';
/** A delta manifest whose base is itself a delta: only after crashes in a row; bounded anyway. */
const MAX_DELTA_CHAIN = 16;
/** `releases/<seq>` or a repair tree `releases/.<seq>.repair`: the seq `current` serves. */
const CURRENT_TARGET_RE = /^releases\/\.?(\d+)(?:\.repair)?$/;
export async function readState(layout) {
    try {
        return JSON.parse(await readFile(layout.statePath, 'utf8'));
    }
    catch (err) {
        if (isMissing(err) || err instanceof SyntaxError)
            return undefined;
        throw err;
    }
}
/** Records `release` in `state.json`: `{seq, digest, activatedAt, storeId}`, `storeId` only when known. */
export async function writeState(layout, release) {
    const state = { seq: release.seq, digest: release.digest, activatedAt: release.activatedAt };
    if (release.storeId !== undefined)
        state.storeId = release.storeId;
    await writeFileDurably(layout.statePath, `${JSON.stringify(state)}\n`);
}
/** The seq `current` points at, or undefined when there is no (parsable) `current` link. */
export async function readCurrentSeq(layout) {
    try {
        const match = CURRENT_TARGET_RE.exec(await readlink(layout.current));
        return match ? Number(match[1]) : undefined;
    }
    catch (err) {
        if (isMissing(err) || err.code === 'EINVAL')
            return undefined;
        throw err;
    }
}
/** The manifest of release `seq` as kept on disk; undefined when missing or not hashing to its digest. */
export async function readManifest(layout, seq, depth = 0) {
    const manifest = await readManifestForm(layout, seq, depth).catch(() => undefined);
    // Local files were checked when they arrived; the digest catches one damaged since.
    return manifest?.entries.digest() === manifest?.digest ? manifest : undefined;
}
async function readManifestForm(layout, seq, depth) {
    const compact = await readCompact(layout.manifestPath(seq), seq);
    if (compact)
        return compact;
    const full = await readJson(layout.legacyManifestPath(seq));
    const stored = full ? undefined : await readJson(layout.manifestDeltaPath(seq));
    const base = stored && depth < MAX_DELTA_CHAIN ? await readManifest(layout, stored.base, depth + 1) : undefined;
    const from = full ?? stored;
    if (!from || (!full && !base))
        return undefined;
    // JSON forms as older agents wrote them: canonical lines, or an object per entry.
    const entries = full ? (full.pathBytes ? CompactManifest.fromStored(full.entries, full.pathBytes) : CompactManifest.fromSorted(full.entries)) : base.entries.applyDelta(stored.delta);
    const manifest = { seq, digest: from.digest, entries };
    if (from.createdAt)
        manifest.createdAt = from.createdAt;
    return manifest;
}
/** `<seq>.manifest`: the compact form as it is held, one header line then its arrays and text. */
async function readCompact(path, seq) {
    let data;
    try {
        data = await readFile(path);
    }
    catch (err) {
        if (isMissing(err))
            return undefined;
        throw err;
    }
    const read = decodeManifestFile(data);
    const { seq: named, digest, createdAt } = read?.header ?? {};
    if (!read || named !== seq || typeof digest !== 'string')
        return undefined;
    const manifest = { seq, digest, entries: read.manifest };
    if (typeof createdAt === 'string')
        manifest.createdAt = createdAt;
    return manifest;
}
/**
 * Writes the full manifest in the compact form: its buffers as they are held, no string per
 * entry (a 10 000-entry manifest as JSON lines cost ~150 ms of CPU and its garbage every release).
 */
export async function writeManifest(layout, manifest) {
    const header = { seq: manifest.seq, digest: manifest.digest };
    if (manifest.createdAt !== undefined)
        header.createdAt = manifest.createdAt;
    await writeFileDurably(layout.manifestPath(manifest.seq), Buffer.concat(encodeManifestFile(manifest.entries, header)));
    await unlink(layout.manifestDeltaPath(manifest.seq)).catch(() => { });
    await unlink(layout.legacyManifestPath(manifest.seq)).catch(() => { });
}
export async function writeManifestDelta(layout, stored) {
    await writeFileDurably(layout.manifestDeltaPath(stored.seq), JSON.stringify(stored));
}
async function readJson(path) {
    try {
        return JSON.parse(await readFile(path, 'utf8'));
    }
    catch (err) {
        if (isMissing(err) || err instanceof SyntaxError)
            return undefined;
        throw err;
    }
}
/** Seqs of the release trees on disk, oldest first. */
export async function listReleases(layout) {
    try {
        return (await readdir(layout.releasesDir)).filter((name) => /^\d+$/.test(name)).map(Number).sort((a, b) => a - b);
    }
    catch (err) {
        if (isMissing(err))
            return [];
        throw err;
    }
}
/** Drops release trees (and their manifests) beyond the newest `keep`; never the one `current` serves. */
export async function dropOldReleases(layout, keep, currentSeq) {
    const seqs = (await listReleases(layout)).filter((seq) => seq !== currentSeq);
    const excess = seqs.slice(0, Math.max(0, seqs.length - (keep - 1)));
    for (const seq of excess) {
        await rm(layout.releaseDir(seq), { recursive: true, force: true });
        await dropReleaseManifests(layout, seq);
    }
    return excess;
}
/** Removes the manifests (full, delta and legacy JSON form) kept for release `seq`. */
export async function dropReleaseManifests(layout, seq) {
    await unlink(layout.manifestPath(seq)).catch(() => { });
    await unlink(layout.legacyManifestPath(seq)).catch(() => { });
    await unlink(layout.manifestDeltaPath(seq)).catch(() => { });
}
/** Repair trees (`releases/.<seq>.repair`) a crash left behind, unless `current` serves one. */
export async function dropStrayRepairs(layout) {
    const served = await readlink(layout.current).catch(() => '');
    for (const name of await readdir(layout.releasesDir)) {
        if (name.endsWith('.repair') && `releases/${name}` !== served)
            await rm(join(layout.releasesDir, name), { recursive: true, force: true });
    }
}
//# sourceMappingURL=app-state.js.map