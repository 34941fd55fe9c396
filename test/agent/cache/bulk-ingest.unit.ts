import t from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isCodesyncError } from '../../../protocol/errors.js';
import { ObjectLayout } from '../../../agent/cache/layout.js';
import { BULK_BLOB_BYTES, ObjectCache, SMALL_BLOB_BYTES } from '../../../agent/cache/object-cache.js';
import { tempDir } from '../fixtures.js';

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function cacheIn(t: Parameters<typeof tempDir>[0]): Promise<{ layout: ObjectLayout; cache: ObjectCache }> {
  const layout = new ObjectLayout(join(tempDir(t, 'codesync-bulk-ingest-'), 'objects'));
  const cache = new ObjectCache(layout);
  await cache.init();
  return { layout, cache };
}

t.test('a cold sync takes blobs past the small size whole: verified, written under every mode by the write worker, whole after flush', async (t) => {
  const { layout, cache } = await cacheIn(t);
  const signal = new AbortController().signal;
  const sizes = [100, SMALL_BLOB_BYTES + 1, 1024 * 1024 + 7, BULK_BLOB_BYTES];
  const datas = sizes.map((size) => randomBytes(size));
  for (const data of datas) await cache.ingest(data, { sha256: sha(data), size: data.length, modes: [0o644, 0o755] }, signal, { bulk: true });
  await cache.flush();
  for (const data of datas) {
    for (const mode of [0o644, 0o755]) {
      const path = layout.objectPath(sha(data), mode);
      t.ok((await readFile(path)).equals(data), `${data.length} bytes under mode ${mode.toString(8)}: whole`);
      t.equal((await stat(path)).mode & 0o777, mode, 'with its mode');
    }
  }
  t.same(await readdir(layout.tmpDir), [], 'no temp file left');
});

t.test('a blob of a cold sync whose bytes do not match its sha256 is refused before any write (the write worker checks it)', async (t) => {
  const { layout, cache } = await cacheIn(t);
  const good = randomBytes(100);
  for (const [size, split] of [[1024 * 1024, false], [20, false], [2 * 1024 * 1024, true]] as const) {
    const data = randomBytes(size);
    const claimed = sha(randomBytes(16));
    const signal = new AbortController().signal;
    const ingest = (bytes: Buffer, sha256: string, inPieces: boolean) => cache.ingest(inPieces ? pieces(bytes) : bytes, { sha256, size: bytes.length, modes: [0o644] }, signal, { bulk: true });
    // Beside a good blob of the same batch, which still lands.
    await ingest(good, sha(good), false);
    const err = await ingest(data, claimed, split).then(
      () => cache.flush().then(() => undefined),
      (err: unknown) => err,
    ).catch((err: unknown) => err);
    t.ok(isCodesyncError(err) && err.code === 'CHECKSUM_MISMATCH', `${size} bytes${split ? ', in pieces' : ''}: CHECKSUM_MISMATCH`);
    t.equal(cache.writeFailure, undefined, 'the failure is not kept past the flush that threw it');
    await t.rejects(stat(layout.objectPath(claimed, 0o644)), { code: 'ENOENT' }, 'no object under the claimed name');
    t.ok((await readFile(layout.objectPath(sha(good), 0o644))).equals(good), 'the good blob of the batch is whole');
  }
  t.same(await readdir(layout.tmpDir), [], 'no temp file left');
});

t.test('a large blob streamed (not one of many) is written in pieces and whole after flush', async (t) => {
  const { layout, cache } = await cacheIn(t);
  const data = randomBytes(3 * 1024 * 1024 + 5);
  // Chunks of 64 KiB and a ragged tail, as a socket delivers them.
  const chunks: Buffer[] = [];
  for (let at = 0; at < data.length; at += 65536) chunks.push(data.subarray(at, Math.min(at + 65536, data.length)));
  async function* stream(): AsyncGenerator<Buffer> {
    yield* chunks;
  }
  await cache.ingest(stream(), { sha256: sha(data), size: data.length, modes: [0o600] }, new AbortController().signal);
  await cache.flush();
  t.ok((await readFile(layout.objectPath(sha(data), 0o600))).equals(data), 'whole');
});

t.test('holdsNothing: true for a new cache only, until its first object; a cache opened on objects holds something', async (t) => {
  const { layout, cache } = await cacheIn(t);
  t.equal(await cache.holdsNothing(), true, 'a new cache holds nothing');
  const data = randomBytes(100);
  await cache.ingest(data, { sha256: sha(data), size: data.length, modes: [0o644] }, new AbortController().signal);
  await cache.flush();
  t.equal(await cache.holdsNothing(), false, 'after its first object');
  const reopened = new ObjectCache(layout);
  await reopened.init();
  t.equal(await reopened.holdsNothing(), false, 'opened again on that object');
  t.equal(await reopened.has(sha(data), 0o644, data.length), true, 'and finds it');
});

t.test('bytes in pieces (views of the chunks they arrived in) are mixed with whole ones across many batches, and land whole', async (t) => {
  const { layout, cache } = await cacheIn(t);
  const signal = new AbortController().signal;
  // Past a few batches (1 MiB each): their buffers come back from the thread and are reused.
  const datas = [SMALL_BLOB_BYTES + 3, 500, 2 * 1024 * 1024, 70_000, 3 * 1024 * 1024, 0, 900_000, 1].map((size) => randomBytes(size));
  for (const [i, data] of datas.entries()) {
    await cache.ingest(i % 2 === 0 ? pieces(data) : data, { sha256: sha(data), size: data.length, modes: [0o644] }, signal, { bulk: true });
    if (i === 3) await cache.flush();
  }
  await cache.flush();
  for (const data of datas) t.ok((await readFile(layout.objectPath(sha(data), 0o644))).equals(data), `${data.length} bytes: whole`);
  t.same(await readdir(layout.tmpDir), [], 'no temp file left');
});

t.test('bytes in pieces for a blob under two modes: both objects whole', async (t) => {
  const { layout, cache } = await cacheIn(t);
  const data = randomBytes(300_000);
  await cache.ingest(pieces(data), { sha256: sha(data), size: data.length, modes: [0o644, 0o600] }, new AbortController().signal, { bulk: true });
  await cache.flush();
  for (const mode of [0o644, 0o600]) t.ok((await readFile(layout.objectPath(sha(data), mode))).equals(data), `mode ${mode.toString(8)}: whole`);
});

/** `data` as three views of it, as a tar body spanning socket chunks arrives. */
function pieces(data: Buffer): Buffer[] {
  const third = Math.floor(data.length / 3);
  return [data.subarray(0, third), data.subarray(third, 2 * third), data.subarray(2 * third)];
}
