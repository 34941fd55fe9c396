import t, {} from 'tap';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { BlobBatch } from '../../../server/store/blob-batch.js';
import { BlobStore } from '../../../server/store/blob-store.js';
import { DurableFs } from '../../../server/store/durable-fs.js';
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
/** A body arriving in several chunks, as a tar entry or request does. */
const body = (bytes) => Readable.from([bytes.subarray(0, 3), bytes.subarray(3)]);
async function store(t) {
    const dir = mkdtempSync(join(tmpdir(), 'codesync-blob-batch-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const fs = new DurableFs(dir);
    await fs.init();
    const blobs = new BlobStore(fs);
    await blobs.init();
    return { blobs, dir };
}
const small = Buffer.from('a small blob, buffered and written in the background');
const big = Buffer.alloc(300 * 1024, 7);
t.test('small (buffered) and big (streamed) blobs are visible only after commit, then hold their bytes', async (t) => {
    const { blobs, dir } = await store(t);
    const batch = new BlobBatch(blobs);
    t.same(await batch.add(body(small), { sha256: sha256(small), size: small.length }), { sha256: sha256(small), size: small.length });
    t.same(await batch.add(body(big), { size: big.length }), { sha256: sha256(big), size: big.length });
    await batch.add(body(small), { size: small.length });
    t.notOk(await blobs.has(sha256(small)), 'nothing under its name before commit');
    const stored = await batch.commit();
    t.same(stored.map((blob) => [blob.sha256, blob.created]), [[sha256(small), true], [sha256(big), true], [sha256(small), false]], 'a blob twice in a batch is created once');
    t.ok(readFileSync(blobs.path(sha256(small))).equals(small));
    t.ok(readFileSync(blobs.path(sha256(big))).equals(big));
    t.same(readdirSync(join(dir, 'tmp')), [], 'no temp file left');
    t.equal(blobs.count, 2);
    t.equal(blobs.totalBytes, small.length + big.length);
});
t.test('a wrong sha256 or size is refused at once and the batch keeps nothing', async (t) => {
    const { blobs, dir } = await store(t);
    const batch = new BlobBatch(blobs);
    await batch.add(body(big), { size: big.length });
    await t.rejects(batch.add(body(small), { sha256: 'f'.repeat(64), size: small.length }), { code: 'CHECKSUM_MISMATCH' });
    await t.rejects(batch.add(body(small), { size: small.length + 1 }), { code: 'TRUNCATED_BODY' });
    await t.rejects(batch.add(body(big), { sha256: 'f'.repeat(64) }), { code: 'CHECKSUM_MISMATCH' }, 'streamed too');
    await batch.abort();
    t.notOk(await blobs.has(sha256(big)));
    t.same(readdirSync(join(dir, 'tmp')), [], 'no temp file left');
});
t.test('presence: by lookups for few blobs, by listing prefix directories for many', async (t) => {
    const { blobs } = await store(t);
    const batch = new BlobBatch(blobs);
    const bytes = Array.from({ length: 300 }, (_, i) => Buffer.from(`blob ${i}`));
    for (const each of bytes)
        await batch.add(body(each), { size: each.length });
    await batch.commit();
    const absent = Array.from({ length: 300 }, (_, i) => sha256(Buffer.from(`absent ${i}`)));
    const wanted = [...bytes.map(sha256), ...absent];
    const expected = [...bytes.map(() => true), ...absent.map(() => false)];
    t.same(await blobs.presence(wanted), expected, '600 lookups: listed');
    t.same(await blobs.presence([wanted[0], absent[0]]), [true, false], 'two lookups: one by one');
});
//# sourceMappingURL=blob-batch.unit.js.map