import t from 'tap';
import { mkdtemp, readdir, rm, truncate, writeFile, mkdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropReleaseManifests, readManifest, writeManifest, writeManifestDelta } from '../../agent/app-state.js';
import { AppLayout } from '../../agent/cache/layout.js';
import { CompactManifest } from '../../protocol/compact-manifest.js';
import { encodeManifestFile } from '../../protocol/compact-manifest-file.js';
const SHA = (n) => `${n.toString(16).padStart(64, '0')}`;
function entries(changed = 0) {
    return [
        { path: 'a.txt', type: 'file', mode: 0o644, size: 3, sha256: SHA(1 + changed) },
        { path: 'lib', type: 'dir', mode: 0o755 },
        { path: 'lib/b\tc.php', type: 'file', mode: 0o755, size: 5, sha256: SHA(2) },
        { path: 'link', type: 'symlink', mode: 0o777, target: 'lib/b\tc.php' },
    ];
}
async function layoutIn(t) {
    const dir = await mkdtemp(join(tmpdir(), 'codesync-app-state-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    return new AppLayout('web', join(dir, 'apps', 'web'));
}
function stored(seq, list) {
    const manifest = CompactManifest.fromSorted(list);
    return { seq, digest: manifest.digest(), createdAt: '2026-01-01T00:00:00.000Z', entries: manifest };
}
t.test('a full manifest is written in the compact form and read back whole', async (t) => {
    const layout = await layoutIn(t);
    const written = stored(3, entries());
    await writeManifest(layout, written);
    t.same(await readdir(layout.manifestsDir), ['3.manifest'], 'one file, the compact form');
    const read = await readManifest(layout, 3);
    t.equal(read?.digest, written.digest);
    t.equal(read?.createdAt, written.createdAt);
    t.same(read ? [...read.entries] : [], entries(), 'the same entries, tabs in paths and targets included');
    t.equal(await readManifest(layout, 4), undefined, 'another seq is not there');
});
t.test('a compact manifest cut short, damaged or named for another seq is not read', async (t) => {
    const layout = await layoutIn(t);
    await writeManifest(layout, stored(3, entries()));
    await truncate(layout.manifestPath(3), (await stat(layout.manifestPath(3))).size - 1);
    t.equal(await readManifest(layout, 3), undefined, 'cut short');
    const other = stored(5, entries());
    await writeManifest(layout, other);
    await writeFile(layout.manifestPath(6), Buffer.concat(encodeManifestFile(other.entries, { seq: 5, digest: other.digest })));
    t.equal(await readManifest(layout, 6), undefined, 'its header names seq 5');
    await writeFile(layout.manifestPath(7), Buffer.concat(encodeManifestFile(other.entries, { seq: 7, digest: stored(7, entries(1)).digest })));
    t.equal(await readManifest(layout, 7), undefined, 'its text does not hash to the digest it names');
});
t.test('the JSON forms older agents wrote are still read, and a rewrite replaces them', async (t) => {
    const layout = await layoutIn(t);
    const old = stored(2, entries());
    await mkdir(layout.manifestsDir, { recursive: true });
    await writeFile(layout.legacyManifestPath(2), JSON.stringify({ seq: 2, digest: old.digest, entries: old.entries.lines(), pathBytes: old.entries.pathBytes() }));
    t.same([...(await readManifest(layout, 2)).entries], entries(), 'canonical lines and path lengths');
    await writeFile(layout.legacyManifestPath(1), JSON.stringify({ seq: 1, digest: old.digest, entries: entries() }));
    t.same([...(await readManifest(layout, 1)).entries], entries(), 'an object per entry');
    await writeManifest(layout, old);
    t.same((await readdir(layout.manifestsDir)).sort(), ['1.json', '2.manifest'], 'the JSON form of seq 2 went when its compact form was written');
    await dropReleaseManifests(layout, 1);
    t.same(await readdir(layout.manifestsDir), ['2.manifest'], 'dropping a release drops its legacy form too');
});
t.test('a delta on a compact base reads as the full manifest until the full one replaces it', async (t) => {
    const layout = await layoutIn(t);
    await writeManifest(layout, stored(1, entries()));
    const target = stored(2, entries(1));
    await writeManifestDelta(layout, { seq: 2, digest: target.digest, base: 1, delta: { added: [], changed: [entries(1)[0]], removed: [] } });
    t.same([...(await readManifest(layout, 2)).entries], entries(1), 'base + delta');
    await writeManifest(layout, target);
    t.same((await readdir(layout.manifestsDir)).sort(), ['1.manifest', '2.manifest'], 'the delta form went');
});
//# sourceMappingURL=app-state.test.js.map