import t from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ObjectLayout } from '../../../agent/cache/layout.js';
import { ObjectWriter } from '../../../agent/cache/object-writer.js';
import { tempDir } from '../fixtures.js';
import { filesUnder } from '../../helpers/files-under.js';

async function writerIn(t: Parameters<typeof tempDir>[0]): Promise<{ layout: ObjectLayout; writer: ObjectWriter }> {
  const layout = new ObjectLayout(join(tempDir(t, 'codesync-object-writer-'), 'objects'));
  await mkdir(layout.tmpDir, { recursive: true });
  return { layout, writer: new ObjectWriter(layout.dir, layout.tmpDir) };
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

t.test('objects written many at once are whole under their final names after flush, with their modes; nothing stays in tmp', async (t) => {
  const { layout, writer } = await writerIn(t);
  const datas = Array.from({ length: 100 }, (_, n) => randomBytes(50 + n * 100));
  for (const data of datas) {
    await writer.room(data.length);
    writer.write(sha(data), data, layout.objectPath(sha(data), 0o644), 0o644);
  }
  const data = datas[0]!;
  writer.copy(sha(data), layout.objectPath(sha(data), 0o644), layout.objectPath(sha(data), 0o755), 0o755, data.length);
  await writer.flush();
  for (const data of datas) t.ok((await readFile(layout.objectPath(sha(data), 0o644))).equals(data), `object ${sha(data).slice(0, 8)} whole`);
  t.equal((await stat(layout.objectPath(sha(data), 0o755))).mode & 0o777, 0o755, 'the copy under another mode has that mode');
  t.same(await readdir(layout.tmpDir), [], 'no temp file left');
});

t.test('a failed write throws at flush, leaves no temp file and no object; discard forgets the failure and keeps the placed object', async (t) => {
  const { layout, writer } = await writerIn(t);
  const good = randomBytes(1000);
  const placed = writer.write(sha(good), good, layout.objectPath(sha(good), 0o644), 0o644);
  await placed.stored;
  // A final name under a regular file cannot be made: the write fails after its temp file was written.
  const bad = randomBytes(1000);
  const blocked = join(layout.dir, 'sha256', 'blocked');
  await mkdir(join(layout.dir, 'sha256'), { recursive: true });
  await readFile(layout.objectPath(sha(good), 0o644)).then((bytes) => import('node:fs/promises').then(({ writeFile }) => writeFile(blocked, bytes)));
  const failing = writer.write(sha(bad), bad, join(blocked, sha(bad)), 0o644);
  await t.rejects(failing.stored, 'the failing write rejects');
  await t.rejects(writer.flush(), 'flush throws the failed write');
  t.same(await readdir(layout.tmpDir), [], 'its temp file is gone');

  const again = writer.write(sha(bad), bad, join(blocked, sha(bad)), 0o644);
  writer.write(sha(good), good, layout.objectPath(sha(good), 0o644), 0o644);
  await writer.discard(new Set([sha(bad), sha(good)]));
  await t.rejects(again.stored);
  t.ok((await readFile(layout.objectPath(sha(good), 0o644))).equals(good), 'the placed object stays whole');
  await t.resolves(writer.flush(), 'the discarded failure is not thrown');
  t.same(await readdir(layout.tmpDir), [], 'nothing left in tmp after discard');
});

t.test('bulk writes (the write worker): whole under their final names after flush, with their modes; a failed one is reported and leaves nothing', async (t) => {
  const { layout, writer } = await writerIn(t);
  const datas = Array.from({ length: 300 }, (_, n) => randomBytes(1 + n * 37));
  for (const [n, data] of datas.entries()) {
    const mode = n % 3 === 0 ? 0o755 : 0o644;
    await writer.room(data.length, true);
    writer.writeBulk(sha(data), [data], data.length, layout.objectPath(sha(data), mode), mode);
  }
  // A final name under a regular file cannot be made: that write fails after its temp file was written and synced.
  const blocked = join(layout.dir, 'sha256', 'blocked');
  await mkdir(join(layout.dir, 'sha256'), { recursive: true });
  await writeFile(blocked, 'x');
  const bad = randomBytes(500);
  writer.writeBulk(sha(bad), [bad], bad.length, join(blocked, sha(bad)), 0o644);
  await t.rejects(writer.flush(), 'flush throws the failed write');
  for (const [n, data] of datas.entries()) {
    const mode = n % 3 === 0 ? 0o755 : 0o644;
    const path = layout.objectPath(sha(data), mode);
    if (!(await readFile(path)).equals(data)) t.fail(`object ${n} is not whole`);
    if (((await stat(path)).mode & 0o777) !== mode) t.fail(`object ${n} has mode ${((await stat(path)).mode & 0o777).toString(8)}`);
  }
  t.same(await filesUnder(layout.tmpDir), [], 'no temp file left');
  t.equal(writer.failure, undefined, 'the flush forgot the failure');

  // After the flush the thread is gone; the next bulk write starts another, and discard forgets its failure.
  const later = randomBytes(100);
  writer.writeBulk(sha(later), [later], later.length, layout.objectPath(sha(later), 0o644), 0o644);
  writer.writeBulk(sha(bad), [bad], bad.length, join(blocked, sha(bad)), 0o644);
  await writer.discard(new Set([sha(later), sha(bad)]));
  t.ok((await readFile(layout.objectPath(sha(later), 0o644))).equals(later), 'a write after the flush is whole');
  await t.resolves(writer.flush(), 'the discarded failure is not thrown');
  t.same(await filesUnder(layout.tmpDir), [], 'nothing left in tmp after discard');
});
