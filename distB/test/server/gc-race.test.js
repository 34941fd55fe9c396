import t, {} from 'tap';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pino } from 'pino';
import { GarbageCollector } from '../../server/gc.js';
import { BlobStore } from '../../server/store/blob-store.js';
import { DurableFs } from '../../server/store/durable-fs.js';
import { checkStore } from '../../server/store/fsck.js';
import { ReleaseStore } from '../../server/store/release-store.js';
import { manifestOf, postJson, publishManifest, sha256, startServer, tempDir } from './harness.js';
const logger = pino({ level: 'silent' });
/** A real store in process, GC with grace 0 (every unreferenced blob is a candidate), keeping one release. */
async function store(t) {
    const dir = mkdtempSync(join(tmpdir(), 'codesync-gc-race-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const fs = new DurableFs(dir);
    await fs.init();
    const blobs = new BlobStore(fs);
    await blobs.init();
    const releases = new ReleaseStore(fs, blobs, { keepReleases: 1, logger });
    await releases.init();
    const gc = new GarbageCollector(releases, blobs, { graceMs: 0, intervalMs: 3_600_000, logger });
    const put = async (text) => {
        const bytes = Buffer.from(text);
        await blobs.write(Readable.from([bytes]));
        return { path: `${text}.txt`, type: 'file', mode: 0o644, size: bytes.length, sha256: sha256(bytes) };
    };
    const publish = async (entries) => {
        const outcome = await releases.publish('web', entries, { meta: {}, create: {} });
        if (!('published' in outcome))
            throw new Error(`blobs missing: ${outcome.missing.join(' ')}`);
        return outcome.published.release;
    };
    return { dir, blobs, releases, gc, put, publish };
}
/** Waits until the clock has moved past the last write's mtime: grace 0 then makes it a candidate. */
async function tick() {
    const start = Date.now();
    await new Promise((resolve) => setImmediate(resolve));
    while (Date.now() <= start + 5)
        await new Promise((resolve) => setImmediate(resolve));
}
t.test('a release published between the mark and the sweep keeps its blobs', async (t) => {
    const { dir, blobs, gc, put, publish } = await store(t);
    const old = [await put('old-a'), await put('old-b')];
    await publish(old);
    await publish([await put('new')]);
    const orphan = await put('orphan');
    await tick();
    const mark = await gc.mark();
    t.same([...mark.candidates].sort(), [old[0].sha256, old[1].sha256, orphan.sha256].sort(), 'the pruned release and the orphan are candidates');
    await tick();
    // The old tree again: its blobs are present, so the publish neither uploads nor touches them.
    const again = await publish(old);
    t.equal(again.seq, 3);
    const result = await gc.sweep(mark);
    t.same(result, { deleted: 1, deletedBytes: orphan.size }, 'only the orphan goes');
    for (const entry of old)
        t.ok(await blobs.has(entry.sha256), `${entry.path} is kept: release 3 references it`);
    t.notOk(await blobs.has(orphan.sha256));
    t.equal(blobs.count, 3);
    t.same(await checkStore(dir), []);
});
t.test('a candidate uploaded again or touched by a publish check after the mark is kept', async (t) => {
    const { dir, blobs, gc, put, publish } = await store(t);
    await publish([await put('kept')]);
    const reuploaded = await put('reuploaded');
    const checked = await put('checked');
    const dropped = await put('dropped');
    await tick();
    const mark = await gc.mark();
    t.equal(mark.candidates.length, 3);
    await tick();
    // A client uploads a blob it is about to publish: the store had it, so only its mtime moves.
    t.same((await blobs.write(Readable.from([Buffer.from('reuploaded')]))).created, false);
    // A publish that is answered `missing` restarts the grace of the blobs it found present.
    const missing = { path: 'absent.txt', type: 'file', mode: 0o644, size: 6, sha256: sha256(Buffer.from('absent')) };
    const releases = gc.releases;
    t.same(await releases.publish('web', [checked, missing], { meta: {} }), { missing: [missing.sha256] });
    const result = await gc.sweep(mark);
    t.same(result, { deleted: 1, deletedBytes: dropped.size });
    t.ok(await blobs.has(reuploaded.sha256), 'the re-uploaded blob is kept');
    t.ok(await blobs.has(checked.sha256), 'the blob a publish check found is kept');
    t.notOk(await blobs.has(dropped.sha256));
    t.equal(blobs.count, 3);
    t.same(await checkStore(dir), []);
});
t.test('a blob set aside by the sweep and uploaded meanwhile stays stored once', async (t) => {
    const { blobs, put } = await store(t);
    const blob = await put('contended');
    await tick();
    // The sweep's delete and an upload of the same bytes race: whichever order, the blob ends stored
    // (the upload's copy or the original put back) and counted once.
    const [outcome, stored] = await Promise.all([blobs.deleteUnlessTouched(blob.sha256, Date.now() - 1), blobs.write(Readable.from([Buffer.from('contended')]))]);
    t.ok(await blobs.has(blob.sha256), `stored after the race (deleted: ${outcome.deleted}, created: ${stored.created})`);
    t.equal(blobs.count, 1);
    t.equal(blobs.totalBytes, blob.size);
});
/**
 * Far-future blobs nothing references: never collected, but stat'ed by every mark, so a mark
 * takes long enough for a publish to land inside it.
 */
function seedUnreferenced(dataDir, count) {
    const future = new Date(Date.now() + 365 * 24 * 3600 * 1000);
    for (let i = 0; i < count; i++) {
        const name = sha256(Buffer.from(`seed ${i}`));
        const dir = join(dataDir, 'blobs', 'sha256', name.slice(0, 2));
        mkdirSync(dir, { recursive: true });
        const path = join(dir, name);
        writeFileSync(path, `seed ${i}`);
        utimesSync(path, future, future);
    }
}
t.test('publishes during a real server GC are not blocked and every release stays whole', async (t) => {
    const dataDir = tempDir(t);
    seedUnreferenced(dataDir, 5_000);
    const server = await startServer(t, dataDir, ['--gc-grace-seconds', '60', '--keep-releases', '1']);
    const { url } = server;
    const file = (path, text) => ({ path, type: 'file', mode: 0o644, data: Buffer.from(text) });
    const blobPath = (entry) => {
        const hash = sha256(entry.data);
        return join(dataDir, 'blobs', 'sha256', hash.slice(0, 2), hash);
    };
    const gcDone = () => server.proc.logs.filter((line) => line.msg === 'gc done');
    let racedRounds = 0;
    for (let round = 0; round < 5 && racedRounds === 0; round++) {
        const x = Array.from({ length: 20 }, (_, i) => file(`x${i}.txt`, `tree x, file ${i}, round ${round}`));
        const y = [file('y.txt', `tree y, round ${round}`)];
        t.equal((await publishManifest(url, 'web', x)).status, 201);
        // Past their grace: once y prunes x, GC may take them.
        const past = new Date(Date.now() - 3_600_000);
        for (const entry of x)
            utimesSync(blobPath(entry), past, past);
        const before = gcDone().length;
        const started = server.proc.logs.filter((line) => line.msg === 'gc started').length;
        t.equal((await publishManifest(url, 'web', y)).status, 201, 'y prunes x; a GC follows');
        await server.proc.waitForLog(() => server.proc.logs.filter((line) => line.msg === 'gc started').length > started);
        // x again as the GC marks: its blobs are present, so the server creates the release without an upload.
        const again = await postJson(`${url}/v1/apps/web/releases?create=1`, { entries: manifestOf(x), meta: {} });
        await server.proc.waitForLog(() => gcDone().length > before);
        if (again.status === 201 && Number(gcDone()[before].spared) === x.length)
            racedRounds++;
        // Published after the GC's sweep took x's blobs: uploaded again.
        if (again.status === 409)
            t.equal((await publishManifest(url, 'web', x)).status, 201);
        for (const entry of x)
            t.equal((await fetch(`${url}/v1/blobs/${sha256(entry.data)}`, { method: 'HEAD' })).status, 200, `round ${round}: ${entry.path} of the latest release is stored`);
    }
    t.comment(JSON.stringify(gcDone().map(({ deleted, spared, candidates, markMs, sweepMs }) => ({ deleted, spared, candidates, markMs, sweepMs }))));
    t.equal(racedRounds, 1, 'a publish landed inside a GC, before its sweep, and the sweep spared its blobs');
    await server.proc.stop();
    t.same(await checkStore(dataDir), [], 'every release whole');
});
//# sourceMappingURL=gc-race.test.js.map