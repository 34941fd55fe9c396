import t from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { unlink, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract } from 'tar-stream';
import { BlobStore } from '../../../server/store/blob-store.js';
import { DurableFs } from '../../../server/store/durable-fs.js';
import { blobListOf } from '../../../server/http/blob-list.js';
import { blobTarChunks } from '../../../server/http/blob-tar-body.js';
import { tempDir } from '../../agent/fixtures.js';
function tarOf(store, blobs) {
    return Readable.from(blobTarChunks(store, blobListOf(blobs)), { objectMode: false });
}
async function storeOf(t, datas) {
    const fs = new DurableFs(tempDir(t, 'codesync-blob-tar-body-'));
    await fs.init();
    const store = new BlobStore(fs);
    const blobs = [];
    for (const data of datas) {
        const sha256 = createHash('sha256').update(data).digest('hex');
        await store.write(Readable.from([data]), { sha256, size: data.length });
        blobs.push({ sha256, size: data.length, data });
    }
    return { store, blobs };
}
async function entriesOf(tar) {
    const entries = [];
    const parser = extract();
    const feeding = pipeline(tar, parser);
    // Awaited below; a failure also surfaces through the iteration.
    feeding.catch(() => { });
    for await (const entry of parser) {
        const chunks = [];
        for await (const chunk of entry)
            chunks.push(chunk);
        entries.push({ name: entry.header.name, data: Buffer.concat(chunks) });
    }
    await feeding;
    return entries;
}
t.test('a pack holds every blob in list order, byte for byte, small ones read ahead and large ones a slab at a time', async (t) => {
    // More small blobs than the read-ahead holds (64 files, 4 MiB), with large ones between them.
    const datas = Array.from({ length: 90 }, (_, n) => randomBytes(n % 40 === 7 ? 600 * 1024 : 100 + n * 37));
    const { store, blobs } = await storeOf(t, datas);
    const entries = await entriesOf(tarOf(store, blobs));
    t.equal(entries.length, blobs.length, 'one entry per blob');
    t.same(entries.map(({ name }) => name), blobs.map(({ sha256 }) => sha256), 'entries in list order, named by sha256');
    t.ok(entries.every(({ data }, n) => data.equals(blobs[n].data)), 'every entry holds its blob');
});
t.test('a blob missing from the store aborts the pack rather than ending it short', async (t) => {
    const { store, blobs } = await storeOf(t, Array.from({ length: 20 }, () => randomBytes(1000)));
    t.teardown(() => store.close());
    await unlink(store.path(blobs[12].sha256));
    await t.rejects(entriesOf(tarOf(store, blobs)), 'the tar fails');
});
t.test('a small blob longer or shorter than listed (a damaged store) aborts the pack', async (t) => {
    const { store, blobs } = await storeOf(t, Array.from({ length: 20 }, () => randomBytes(1024)));
    await writeFile(store.path(blobs[5].sha256), randomBytes(1025));
    await t.rejects(entriesOf(tarOf(store, blobs)), /holds more bytes/, 'a longer blob fails the tar');
    await writeFile(store.path(blobs[5].sha256), randomBytes(1023));
    await t.rejects(entriesOf(tarOf(store, blobs)), /holds 1023 bytes/, 'a shorter blob fails the tar');
    await store.close();
});
//# sourceMappingURL=blob-tar-body.unit.js.map