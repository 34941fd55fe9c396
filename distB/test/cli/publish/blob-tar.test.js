import t from 'tap';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { blobTar } from '../../../cli/publish/blob-tar.js';
const signal = new AbortController().signal;
async function entries(stream) {
    const found = new Map();
    const extract = tar.extract();
    extract.on('entry', (header, body, next) => {
        const parts = [];
        body.on('data', (part) => parts.push(part));
        // A tar cut short fails the entry being read too; the pipeline reports it.
        body.on('error', () => undefined);
        body.on('end', () => {
            found.set(header.name, Buffer.concat(parts));
            next();
        });
    });
    await pipeline(stream, extract);
    return found;
}
t.test('every blob comes out of the tar as tar-stream reads it: sizes around the block and the chunk, kept bytes or the file', async (t) => {
    const dir = t.testdir({});
    const blobs = [];
    const expected = new Map();
    for (const size of [0, 1, 511, 512, 513, 70_000, 1024 * 1024, 1024 * 1024 + 1, 3_000_000]) {
        const data = Buffer.alloc(size, size % 251);
        const absolute = join(dir, `f${size}`);
        writeFileSync(absolute, data);
        const sha256 = createHash('sha256').update(data).digest('hex');
        expected.set(sha256, data);
        blobs.push([sha256, size === 511 ? { absolute, size, bytes: data } : { absolute, size }]);
    }
    let counted = 0;
    const found = await entries(blobTar(blobs, (bytes) => (counted += bytes), signal));
    t.same([...found.keys()], [...expected.keys()], 'every entry, in order');
    for (const [sha256, data] of expected)
        t.ok(found.get(sha256)?.equals(data), `bytes of the ${data.length}-byte blob`);
    t.equal(counted, [...expected.values()].reduce((n, data) => n + data.length, 0), 'every content byte counted');
});
t.test('a file whose size moved since it was listed fails the tar with TREE_CHANGED', async (t) => {
    const dir = t.testdir({ small: 'grown since', big: 'x' });
    writeFileSync(join(dir, 'big'), Buffer.alloc(2 * 1024 * 1024));
    for (const [name, size] of [['small', 3], ['big', 1024 * 1024 + 7]]) {
        const stream = blobTar([['a'.repeat(64), { absolute: join(dir, name), size }]], () => undefined, signal);
        await t.rejects(entries(stream), { code: 'TREE_CHANGED' }, name);
    }
});
//# sourceMappingURL=blob-tar.test.js.map