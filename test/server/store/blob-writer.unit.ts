import t, { type Test } from 'tap';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobWriter } from '../../../server/store/blob-writer.js';

function scratch(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'codesync-blob-writer-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('many writes in one turn land in their own files, byte for byte', async (t) => {
  const dir = scratch(t);
  const writer = new BlobWriter();
  t.teardown(() => writer.close());
  // Views into one bigger buffer, as tar entries are: only each view's bytes reach its file.
  const pool = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz');
  const parts = Array.from({ length: 300 }, (_, i) => pool.subarray(i % 30, (i % 30) + 1 + (i % 5)));
  await Promise.all(parts.map((bytes, i) => writer.write(join(dir, `f${i}`), bytes)));
  t.equal(readdirSync(dir).length, parts.length);
  t.ok(parts.every((bytes, i) => readFileSync(join(dir, `f${i}`)).equals(bytes)), 'each file holds its bytes');
  await writer.write(join(dir, 'empty'), new Uint8Array(0));
  t.equal(readFileSync(join(dir, 'empty')).length, 0, 'an empty blob is an empty file');
});

t.test('a write that fails rejects with the errno code and leaves no file; the writer goes on', async (t) => {
  const dir = scratch(t);
  const writer = new BlobWriter();
  t.teardown(() => writer.close());
  await t.rejects(writer.write(join(dir, 'missing-dir', 'f'), Buffer.from('x')), { code: 'ENOENT', syscall: 'open' });
  await writer.write(join(dir, 'after'), Buffer.from('after'));
  t.equal(readFileSync(join(dir, 'after'), 'utf8'), 'after');
});

t.test('after close, the next write starts a new worker', async (t) => {
  const dir = scratch(t);
  const writer = new BlobWriter();
  t.teardown(() => writer.close());
  await writer.write(join(dir, 'a'), Buffer.from('a'));
  await writer.close();
  await writer.write(join(dir, 'b'), Buffer.from('b'));
  t.equal(readFileSync(join(dir, 'b'), 'utf8'), 'b');
});
