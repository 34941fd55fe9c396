import t from 'tap';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isCodesyncError } from '../../../protocol/errors.js';
import { ObjectLayout } from '../../../agent/cache/layout.js';
import { ObjectWriter } from '../../../agent/cache/object-writer.js';
import { tempDir } from '../fixtures.js';
import { filesUnder } from '../../helpers/files-under.js';

// A real, small tmpfs fills while the write worker places a cold sync's many small objects.
const isRoot = process.getuid?.() === 0;

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

t.test('disk full under bulk writes: DISK_FULL at flush, every object under its final name whole, no temp file left', { skip: isRoot ? false : 'mounting a tmpfs needs root' }, async (t) => {
  const root = tempDir(t, 'codesync-bulk-tmpfs-');
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', root]);
  // Registered after tempDir's removal, so it runs first (tap runs teardowns last in, first out).
  t.teardown(() => execFileSync('umount', ['-l', root]));
  const layout = new ObjectLayout(join(root, 'objects'));
  await mkdir(layout.tmpDir, { recursive: true });
  const writer = new ObjectWriter(layout.dir, layout.tmpDir);
  // 400 objects of 16 KiB: 6.4 MB do not fit in 2.
  const datas = Array.from({ length: 400 }, () => randomBytes(16 * 1024));
  for (const data of datas) {
    await writer.room(data.length, true);
    writer.writeBulk(sha(data), [data], data.length, layout.objectPath(sha(data), 0o644), 0o644);
  }
  const err = await writer.flush().then(
    () => undefined,
    (err: unknown) => err,
  );
  t.ok(isCodesyncError(err) && err.code === 'DISK_FULL', 'flush throws DISK_FULL');
  let whole = 0;
  for (const path of await filesUnder(join(layout.dir, 'sha256'))) {
    t.equal(sha(await readFile(path)), path.split('/').pop(), `${path.slice(-12)} is whole`);
    whole++;
  }
  t.ok(whole > 0 && whole < datas.length, `some objects fit (${whole}), not all`);
  t.same(await filesUnder(layout.tmpDir), [], 'no temp file left');
});
