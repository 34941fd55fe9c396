import t from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatheredWrites } from '../../../server/store/gathered-writes.js';

t.test('chunks of any size and count reach the file in order, whole', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'codesync-gathered-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'blob');
  const handle = await open(file, 'w');
  // Many tiny chunks (past the parts bound), socket-sized ones (past the bytes bound), empty ones, one huge.
  const chunks = [
    ...Array.from({ length: 600 }, (_, i) => Buffer.from(`tiny ${i};`)),
    Buffer.alloc(0),
    ...Array.from({ length: 40 }, (_, i) => Buffer.alloc(64 * 1024, i)),
    Buffer.alloc(3 * 1024 * 1024, 0x7a),
    Buffer.from('end'),
  ];
  const writes = new GatheredWrites(handle);
  for (const chunk of chunks) await writes.add(chunk);
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  t.equal(await writes.end(), total, 'end counts every byte');
  await handle.close();
  t.ok(readFileSync(file).equals(Buffer.concat(chunks)), 'the file holds the chunks one after another');
});

t.test('a failed write fails the next add or end, and settle waits for it without throwing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'codesync-gathered-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // Opened for reading only: every write fails (EBADF).
  const handle = await open(join(dir, 'blob'), 'w+').then(async (h) => (await h.close(), open(join(dir, 'blob'), 'r')));
  t.teardown(() => handle.close());
  const writes = new GatheredWrites(handle);
  const failed = (async () => {
    for (let i = 0; i < 64; i++) await writes.add(Buffer.alloc(64 * 1024));
    await writes.end();
  })();
  await t.rejects(failed, { code: 'EBADF' });
  await writes.settle();
});
