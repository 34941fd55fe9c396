import t from 'tap';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tar, {} from 'tar-stream';
import { readBlobTar } from '../../../server/tar/blob-tar-reader.js';
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
async function packed(entries, datas) {
    const pack = tar.pack();
    entries.forEach((header, i) => {
        const data = datas[i];
        if (data)
            pack.entry(header, data);
        else
            pack.entry(header);
    });
    pack.finalize();
    const chunks = [];
    for await (const chunk of pack)
        chunks.push(chunk);
    return Buffer.concat(chunks);
}
/** `tar` split into chunks of `size` bytes, as a body arrives. */
async function* chunked(tar, size) {
    for (let at = 0; at < tar.length; at += size)
        yield tar.subarray(at, at + size);
}
async function read(tar, chunkSize, wholeBytes = 1024) {
    const out = [];
    await readBlobTar(chunked(tar, chunkSize), wholeBytes, async (entry) => {
        if (entry.bytes)
            out.push({ name: entry.name, data: Buffer.from(entry.bytes), whole: true });
        else {
            const parts = [];
            for await (const part of entry.body)
                parts.push(Buffer.from(part));
            out.push({ name: entry.name, data: Buffer.concat(parts), whole: false });
        }
        t.equal(entry.size, out.at(-1).data.length);
    });
    return out;
}
const blobs = [Buffer.alloc(0), Buffer.from('tiny'), randomBytes(511), randomBytes(512), randomBytes(1024), randomBytes(5000), randomBytes(70_000)];
t.test('small entries come whole, big ones as streams, byte for byte whatever the chunking', async (t) => {
    const data = await packed(blobs.map((blob) => ({ name: sha256(blob), size: blob.length })), blobs);
    for (const size of [1, 7, 511, 512, 513, 4096, 65_536, data.length]) {
        const entries = await read(data, size);
        t.same(entries.map((e) => e.name), blobs.map(sha256), `chunks of ${size}: names`);
        t.ok(entries.every((e, i) => e.data.equals(blobs[i])), `chunks of ${size}: bytes`);
        t.same(entries.map((e) => e.whole), blobs.map((blob) => blob.length <= 1024), `chunks of ${size}: whole up to 1024 bytes`);
    }
});
t.test('a big entry left unread is skipped', async (t) => {
    const data = await packed(blobs.map((blob) => ({ name: sha256(blob), size: blob.length })), blobs);
    const names = [];
    await readBlobTar(chunked(data, 1000), 1024, async (entry) => void names.push(entry.name));
    t.same(names, blobs.map(sha256));
});
t.test('pax and ustar-prefix names, as other tar writers make them', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'codesync-blob-tar-reader-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    for (const blob of blobs)
        writeFileSync(join(dir, sha256(blob)), blob);
    const gnuPax = execFileSync('tar', ['-c', '--format=pax', '-C', dir, ...blobs.map(sha256)], { maxBuffer: 1 << 24 });
    const fromPax = await read(gnuPax, 4096);
    t.same(fromPax.map((e) => e.name), blobs.map(sha256), 'GNU tar --format=pax');
    t.ok(fromPax.every((e, i) => e.data.equals(blobs[i])));
    const long = `${'d'.repeat(120)}/${sha256(blobs[1])}`;
    const prefixed = await read(await packed([{ name: long, size: blobs[1].length }], [blobs[1]]), 100);
    t.same(prefixed.map((e) => e.name), [long], 'a long name in the ustar prefix');
});
t.test('bad input: other entry types, truncation, garbage', async (t) => {
    const file = Buffer.from('a file');
    const dirTar = await packed([{ name: 'x/', type: 'directory' }], [undefined]);
    await t.rejects(read(dirTar, 512), { code: 'UNSUPPORTED_TAR_ENTRY' });
    const good = await packed([{ name: sha256(file), size: file.length }, { name: sha256(blobs[6]), size: blobs[6].length }], [file, blobs[6]]);
    await t.rejects(read(good.subarray(0, 300), 100), { code: 'TRUNCATED_BODY' }, 'cut inside a header');
    await t.rejects(read(good.subarray(0, 900), 100), { code: 'TRUNCATED_BODY' }, 'cut inside a whole entry');
    await t.rejects(read(good.subarray(0, 20_000), 4096), { code: 'TRUNCATED_BODY' }, 'cut inside a streamed entry');
    t.same((await read(good.subarray(0, 1024), 100)).map((e) => e.name), [sha256(file)], 'an archive without its end blocks ends with the input');
    await t.rejects(read(Buffer.alloc(1024, 0x41), 512), { code: 'INVALID_TAR' });
});
//# sourceMappingURL=blob-tar-reader.unit.js.map