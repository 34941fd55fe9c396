import t from 'tap';
import { createHash } from 'node:crypto';
import tar from 'tar-stream';
import { TarReader } from '../../../agent/link/tar-reader.js';
import { CodesyncError } from '../../../protocol/errors.js';
import { blobEntryHeader, END_OF_TAR, padding } from '../../../protocol/blob-tar-header.js';
import { seededRandom, type SeededRandom } from '../../helpers/seeded-random.js';

// The server writes pack headers itself and the agent reads them without tar-stream: both are
// checked here against tar-stream, the general implementation they replace on the hot path.

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A pack as the server writes it: entry header, bytes, padding; then the end blocks. */
function serverPack(blobs: Buffer[]): Buffer {
  return Buffer.concat([...blobs.flatMap((data) => [blobEntryHeader(sha(data), data.length), data, padding(data.length)]), END_OF_TAR]);
}

/** The same entries through tar-stream's pack, with the fixed headers the server has always sent. */
async function tarStreamPack(blobs: Buffer[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const data of blobs) pack.entry({ name: sha(data), size: data.length, mode: 0o644, mtime: new Date(0), uid: 0, gid: 0, type: 'file' }, data);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** `bytes` cut into chunks of random sizes up to `max`, as a socket might deliver them. */
async function* chunked(bytes: Buffer, max: number, random: SeededRandom): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(random.next() * max);
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

async function readAll(reader: TarReader, streamAbove: number): Promise<Array<{ name: string; data: Buffer }>> {
  const read = [];
  for (let entry = await reader.next(); entry; entry = await reader.next()) {
    let data: Buffer;
    if (entry.size > streamAbove) {
      const parts = [];
      for await (const part of reader.stream()) parts.push(part);
      data = Buffer.concat(parts);
    } else data = await reader.body();
    read.push({ name: entry.name, data });
  }
  return read;
}

/** As readAll, through the reads that need no wait (`nextHeld`, `bodyHeld`) where they can, as a cold sync reads. */
async function readAllHeld(reader: TarReader, takeEvery: number): Promise<Array<{ name: string; data: Buffer | undefined }>> {
  const read = [];
  let n = 0;
  for (let entry = reader.nextHeld() ?? (await reader.next()); entry; entry = reader.nextHeld() ?? (await reader.next())) {
    // Some entries' bytes are left for the next header read to skip.
    const data = n++ % takeEvery === 0 ? (concatOrNone(reader.bodyHeld()) ?? (await reader.body())) : undefined;
    read.push({ name: entry.name, data: data && Buffer.from(data) });
  }
  return read;
}

const random = seededRandom(t);
const blobs = [Buffer.alloc(0), Buffer.from('x'), ...[511, 512, 513, 1024, 70_000, 300_000].map((size) => Buffer.from(Array.from({ length: size }, () => Math.floor(random.next() * 256))))];
for (let n = 0; n < 500; n++) blobs.push(Buffer.from(`content ${n}`));

t.test("the server's pack headers are tar-stream's bytes, so a pack keeps its bytes under its etag", async (t) => {
  t.ok(serverPack(blobs).equals(await tarStreamPack(blobs)), 'same bytes for 508 entries of 0 B to 300 KB');
  const huge = 9 * 1024 ** 3; // past the 11 octal digits of the size field: base-256
  const expected = await new Promise<Buffer>((resolve) => {
    const pack = tar.pack();
    pack.once('data', (header: unknown) => resolve(header as Buffer));
    pack.entry({ name: 'a'.repeat(64), size: huge, mode: 0o644, mtime: new Date(0), uid: 0, gid: 0, type: 'file' }, () => {});
  });
  t.ok(blobEntryHeader('a'.repeat(64), huge).equals(expected), 'a 9 GiB entry has the same header');
});

t.test('every entry reads back whole, however the bytes are chunked', async (t) => {
  // Byte-sized chunks over the small entries only: a promise per byte is slow under tap.
  const small = [...blobs.slice(0, 6), ...blobs.slice(8, 60)];
  for (const [some, max] of [[small, 1], [small, 7], [blobs, 600], [blobs, 65_536]] as const) {
    const read = await readAll(new TarReader(chunked(serverPack(some), max, random)), 64 * 1024);
    t.equal(read.length, some.length, `chunks of up to ${max} B: every entry`);
    t.ok(
      read.every(({ name, data }, n) => name === sha(some[n]!) && data.equals(some[n]!)),
      `chunks of up to ${max} B: names and bytes as written`,
    );
  }
  for (const [max, takeEvery] of [[1, 1], [300, 1], [600, 3], [4096, 1], [65_536, 2], [1 << 20, 1]] as const) {
    const some = max === 1 ? small : blobs;
    const read = await readAllHeld(new TarReader(chunked(serverPack(some), max, random)), takeEvery);
    t.equal(read.length, some.length, `read without waits where held, chunks of up to ${max} B: every entry`);
    t.ok(
      read.every(({ name, data }, n) => name === sha(some[n]!) && (data === undefined ? n % takeEvery !== 0 : data.equals(some[n]!))),
      `read without waits where held, chunks of up to ${max} B, every ${takeEvery}. entry's bytes taken: names and bytes as written`,
    );
  }
  const skipping = new TarReader(chunked(serverPack(blobs), 1000, random));
  let entries = 0;
  while (await skipping.next()) entries++;
  t.equal(entries, blobs.length, 'entries whose bytes are not taken are skipped');
});

t.test('a tar cut short or damaged is refused as a server error', async (t) => {
  const pack = serverPack(blobs.slice(0, 20));
  for (const cut of [100, 512 + 3, pack.length - END_OF_TAR.length]) {
    await t.rejects(readAll(new TarReader(chunked(pack.subarray(0, cut), 300, random)), 64 * 1024), { code: 'SERVER_ERROR' }, `cut at byte ${cut}`);
  }
  for (const cut of [100, 512 + 3, pack.length - END_OF_TAR.length]) {
    await t.rejects(readAllHeld(new TarReader(chunked(pack.subarray(0, cut), 4096, random)), 1), { code: 'SERVER_ERROR' }, `cut at byte ${cut}, read without waits where held`);
  }
  const damaged = Buffer.from(pack);
  damaged[5] = damaged[5]! ^ 1;
  const error = await readAll(new TarReader(chunked(damaged, 300, random)), 64 * 1024).catch((err: unknown) => err);
  t.ok(error instanceof CodesyncError && /checksum/.test(error.message), 'a header with a bad checksum is refused');
  const errorHeld = await readAllHeld(new TarReader(chunked(damaged, 65_536, random)), 1).catch((err: unknown) => err);
  t.ok(errorHeld instanceof CodesyncError && /checksum/.test(errorHeld.message), 'a header with a bad checksum is refused, read without waits where held');
});

/** A body's pieces joined, or undefined when none were taken. */
function concatOrNone(pieces: Buffer[] | undefined): Buffer | undefined {
  return pieces && Buffer.concat(pieces);
}
