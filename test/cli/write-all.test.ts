import t from 'tap';
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAll } from '../../cli/publish/write-all.js';

t.test('every part is written in order: small ones joined, big and empty ones among them, past IOV_MAX parts', async (t) => {
  const dir = t.testdir({});
  const parts: Buffer[] = [];
  for (let i = 0; i < 5000; i++) {
    parts.push(Buffer.from(`p${i}/`));
    if (i % 997 === 0) parts.push(Buffer.alloc(0), Buffer.alloc(6000 + i, i % 251));
  }
  // A run of small parts longer than one joined piece.
  for (let i = 0; i < 3000; i++) parts.push(Buffer.alloc(1000, i % 7));
  const file = join(dir, 'out');
  const handle = await open(file, 'w');
  try {
    await writeAll(handle, parts);
  } finally {
    await handle.close();
  }
  t.ok(readFileSync(file).equals(Buffer.concat(parts)), 'the file is the parts one after another');
});
