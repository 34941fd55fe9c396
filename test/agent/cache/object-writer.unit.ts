import t from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ObjectLayout } from '../../../agent/cache/layout.js';
import { ObjectWriter } from '../../../agent/cache/object-writer.js';
import { tempDir } from '../fixtures.js';

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

t.test('a failed write throws at flush, leaves no temp file and no object; discard reports only placed objects', async (t) => {
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
  t.same(await writer.discard(new Set([sha(bad), sha(good)])), [layout.objectPath(sha(good), 0o644)], 'discard names the placed object only');
  await t.rejects(again.stored);
  await writer.flush();
  t.same(await readdir(layout.tmpDir), [], 'nothing left in tmp after discard');
});
