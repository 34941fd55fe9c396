import t from 'tap';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { BlobStore } from '../../../server/store/blob-store.js';
import { DurableFs } from '../../../server/store/durable-fs.js';
import { ReleaseStore } from '../../../server/store/release-store.js';
const logger = pino({ level: 'silent' });
async function open(dir) {
    const fs = new DurableFs(dir);
    await fs.init();
    const blobs = new BlobStore(fs);
    await blobs.init();
    const releases = new ReleaseStore(fs, blobs, { keepReleases: 5, logger });
    await releases.init();
    return { blobs, releases };
}
t.test('the step delta is written with its record; one whose record a crash lost is gone at the next start', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'codesync-step-delta-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const { blobs, releases } = await open(dir);
    const file = async (text) => {
        const bytes = Buffer.from(text);
        await blobs.write(Readable.from([bytes]));
        return { path: 'a.txt', type: 'file', mode: 0o644, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    };
    for (const text of ['one', 'two']) {
        const outcome = await releases.publish('web', [await file(text)], { meta: {}, create: {} });
        t.ok('published' in outcome);
    }
    const deltas = join(dir, 'apps', 'web', 'releases', 'deltas');
    t.ok(existsSync(join(deltas, '2-from-1.json')), 'the step delta of release 2 is there when its publish returns');
    await blobs.close();
    // What a crash after the delta's rename and before release 3's record leaves behind.
    writeFileSync(join(deltas, '3-from-2.json'), '{"stale":true}');
    const again = await open(dir);
    t.teardown(() => again.blobs.close());
    t.notOk(existsSync(join(deltas, '3-from-2.json')), 'the delta of a seq never published is removed at start');
    t.ok(existsSync(join(deltas, '2-from-1.json')), 'deltas between retained releases stay');
    const outcome = await again.releases.publish('web', [await (async () => {
            const bytes = Buffer.from('three');
            await again.blobs.write(Readable.from([bytes]));
            return { path: 'a.txt', type: 'file', mode: 0o644, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
        })()], { meta: {} });
    t.equal('published' in outcome && outcome.published.release.seq, 3);
    const delta = JSON.parse(readFileSync(await again.releases.deltaFile('web', 3, 2), 'utf8'));
    t.equal(delta.changed[0].size, 5, 'release 3 gets its own delta');
});
//# sourceMappingURL=step-delta.unit.js.map