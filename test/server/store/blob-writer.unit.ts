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

t.test('place links durable temp files under their names, once each; a blob already there is not new', async (t) => {
  const dir = scratch(t);
  const writer = new BlobWriter();
  t.teardown(() => writer.close());
  const temps = ['a', 'b', 'c'].map((name) => join(dir, `temp-${name}`));
  await Promise.all(temps.map((temp, i) => writer.write(temp, Buffer.from(`blob ${i}`))));
  const targets = [join(dir, 'aa', 'blob-0'), join(dir, 'bb', 'blob-1'), join(dir, 'aa', 'blob-0')];
  t.same(await writer.place(temps.map((temp, i) => ({ temp, target: targets[i]! }))), [true, true, false], 'prefix directories made as needed');
  t.equal(readFileSync(targets[0]!, 'utf8'), 'blob 0', 'the first copy is the one kept');
  t.equal(readFileSync(targets[1]!, 'utf8'), 'blob 1');
  t.same(readdirSync(dir).sort(), ['aa', 'bb'], 'every temp name removed');
  await t.rejects(writer.place([{ temp: join(dir, 'gone'), target: join(dir, 'cc', 'x') }]), { code: 'ENOENT' }, 'a temp file that is gone fails the place');
});
