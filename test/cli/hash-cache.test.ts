import t from 'tap';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../../protocol/sha256.js';
import { defaultCacheFile, HashCache, type HashCacheOptions } from '../../cli/publish/hash-cache.js';
import { hashTree } from '../../cli/publish/hash-tree.js';
import { walkTree } from '../../cli/publish/walk-tree.js';

const signal = new AbortController().signal;

async function hashWithCache(dir: string, cacheFile: string, options: HashCacheOptions = { racyWindowMs: 0 }) {
  const tree = await walkTree(dir, signal);
  const cache = await HashCache.load(cacheFile, tree.root, options);
  const hashed = await hashTree(tree, { cache, threads: 2, signal });
  await cache.save();
  return hashed;
}

function shaOf(hashed: Awaited<ReturnType<typeof hashWithCache>>, path: string): string | undefined {
  const entry = hashed.entries.find((e) => e.path === path);
  return entry?.type === 'file' ? entry.sha256 : undefined;
}

t.test('a second run hashes only the files that changed', async (t) => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 50; i++) files[`f${i}.txt`] = `content ${i}\n`;
  const dir = t.testdir({ tree: files, cache: {} });
  const tree = join(dir, 'tree');
  const cacheFile = join(dir, 'cache', 'c.json');

  const first = await hashWithCache(tree, cacheFile);
  t.equal(first.hashedFiles, 50);
  t.equal(shaOf(first, 'f7.txt'), sha256Hex('content 7\n'));

  const written = statSync(cacheFile, { bigint: true }).mtimeNs;
  const second = await hashWithCache(tree, cacheFile, { racyWindowMs: 0 });
  t.equal(second.hashedFiles, 0, 'nothing changed, nothing read');
  t.equal(statSync(cacheFile, { bigint: true }).mtimeNs, written, 'nor rewritten');
  t.same(second.entries, first.entries);

  writeFileSync(join(tree, 'f7.txt'), 'CONTENT 7\n'); // same size: caught by mtime/ctime, not size
  const third = await hashWithCache(tree, cacheFile);
  t.equal(third.hashedFiles, 1);
  t.equal(shaOf(third, 'f7.txt'), sha256Hex('CONTENT 7\n'));

  rmSync(join(tree, 'f8.txt'));
  await hashWithCache(tree, cacheFile);
  const saved = await HashCache.load(cacheFile, (await walkTree(tree, signal)).root);
  t.equal(saved.previousSha('f8.txt'), undefined, 'deleted files drop out of the cache');
  t.equal(saved.previousSha('f9.txt'), sha256Hex('content 9\n'), 'the others stay');
  t.equal((await hashWithCache(tree, cacheFile)).hashedFiles, 0, 'all 49 left are cached');
  t.same(readdirSync(join(dir, 'cache')), ['c.json'], 'no temp file left behind');
  const root = (await walkTree(tree, signal)).root;
  t.equal(HashCache.peekFiles(cacheFile, root), 49, 'its header tells how many files the last run saw');
  t.equal(HashCache.peekFiles(cacheFile, join(root, 'other')), undefined, 'not for another tree');
  t.equal(HashCache.peekFiles(join(dir, 'none'), root), undefined, 'nor without a cache');
});

t.test('a save that mixes kept and fresh entries keeps every sha256 with its own path', async (t) => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 20; i++) files[`f${String(i).padStart(2, '0')}.txt`] = `content ${i}\n`;
  const dir = t.testdir({ tree: files, cache: {} });
  const tree = join(dir, 'tree');
  const cacheFile = join(dir, 'cache', 'c.cache');
  await hashWithCache(tree, cacheFile);
  // Fresh entries at the start, in the middle (two apart and side by side) and at the end, a
  // deleted one and a new one: the kept entries around them are copied as runs.
  const changed = ['f00.txt', 'f05.txt', 'f07.txt', 'f08.txt', 'f19.txt'];
  for (const name of changed) writeFileSync(join(tree, name), `changed ${name}\n`);
  rmSync(join(tree, 'f12.txt'));
  writeFileSync(join(tree, 'f12b.txt'), 'new\n');
  writeFileSync(join(tree, 'f13é.txt'), 'new, its name not ASCII\n');
  t.equal((await hashWithCache(tree, cacheFile)).hashedFiles, changed.length + 2);
  const again = await hashWithCache(tree, cacheFile);
  t.equal(again.hashedFiles, 0, 'everything cached after the mixed save');
  for (const entry of again.entries) {
    if (entry.type !== 'file') continue;
    t.equal(entry.sha256, sha256Hex(readFileSync(join(tree, entry.path))), entry.path);
  }
});

t.test('a cache file past the buffer pool is read in place (header padded to 8 bytes) and keeps every sha256 with its path', async (t) => {
  // 121 and 120 files: path offsets unaligned (copied) and aligned (read in place); files of 4 KiB and more.
  for (const count of [121, 120]) {
    const files: Record<string, string> = {};
    for (let i = 0; i < count; i++) files[`file-${String(i).padStart(4, '0')}.txt`] = `content ${i}\n`;
    const dir = t.testdir({ tree: files, cache: {} });
    const tree = join(dir, 'tree');
    const cacheFile = join(dir, 'cache', 'c.cache');
    await hashWithCache(tree, cacheFile);
    const bytes = readFileSync(cacheFile);
    t.ok(bytes.length > 4096, `${count}: the file is past the pool`);
    t.equal((bytes.indexOf(0x0a) + 1) % 8, 0, `${count}: the header ends at a multiple of 8 bytes`);
    writeFileSync(join(tree, 'file-0003.txt'), 'changed\n');
    rmSync(join(tree, 'file-0050.txt'));
    t.equal((await hashWithCache(tree, cacheFile)).hashedFiles, 1, `${count}: only the changed file is hashed`);
    const again = await hashWithCache(tree, cacheFile);
    t.equal(again.hashedFiles, 0, `${count}: everything cached after that`);
    for (const entry of again.entries) if (entry.type === 'file') t.equal(entry.sha256, sha256Hex(readFileSync(join(tree, entry.path))), `${count}: ${entry.path}`);
  }
});

t.test('files changed just before hashing are not trusted next time (racily clean)', async (t) => {
  const dir = t.testdir({ tree: { a: 'a', b: 'b' } });
  const cacheFile = join(dir, 'c.json');
  await hashWithCache(join(dir, 'tree'), cacheFile, { racyWindowMs: 60_000 });
  const again = await hashWithCache(join(dir, 'tree'), cacheFile, { racyWindowMs: 60_000 });
  t.equal(again.hashedFiles, 2, 'a file written within the window may change again unseen, so it is hashed again');
  t.equal(again.fresh.size, 0, 'hashed again, but its content is no news: nothing to upload before the manifest');
});

t.test('a corrupt or foreign cache file only costs a full hash', async (t) => {
  const dir = t.testdir({ tree: { a: 'a' }, 'bad.json': '{not json', 'other.json': JSON.stringify({ version: 1, root: '/elsewhere', files: { a: [1, '0', '0', '0', 'x'] } }) });
  t.equal((await hashWithCache(join(dir, 'tree'), join(dir, 'bad.json'))).hashedFiles, 1);
  t.equal((await hashWithCache(join(dir, 'tree'), join(dir, 'other.json'))).hashedFiles, 1);
  t.equal((await hashWithCache(join(dir, 'tree'), join(dir, 'other.json'))).hashedFiles, 0, 'rewritten for this tree');
});

t.test('default cache file lives under XDG_CACHE_HOME, else ~/.cache, keyed by the tree path', async (t) => {
  const a = defaultCacheFile('/srv/app', { XDG_CACHE_HOME: '/tmp/xdg' });
  t.match(a, /^\/tmp\/xdg\/codesync\/publish\/[0-9a-f]{32}\.cache$/);
  t.not(a, defaultCacheFile('/srv/other', { XDG_CACHE_HOME: '/tmp/xdg' }));
  t.match(defaultCacheFile('/srv/app', { HOME: '/home/x' }), /\/\.cache\/codesync\/publish\//);
});

t.test('a cache file cut short or of an older format only costs a full hash', async (t) => {
  const dir = t.testdir({ tree: { a: 'a', b: 'bb' } });
  const tree = join(dir, 'tree');
  const cacheFile = join(dir, 'c.cache');
  await hashWithCache(tree, cacheFile);
  const whole = readFileSync(cacheFile);
  writeFileSync(cacheFile, whole.subarray(0, whole.length - 1));
  t.equal((await hashWithCache(tree, cacheFile)).hashedFiles, 2, 'cut short: not trusted');
  t.equal((await hashWithCache(tree, cacheFile)).hashedFiles, 0, 'rewritten whole');
  writeFileSync(cacheFile, JSON.stringify({ version: 1, root: (await walkTree(tree, signal)).root, files: { a: [1, '0', '0', '0', 'x'] } }));
  t.equal((await hashWithCache(tree, cacheFile)).hashedFiles, 2, 'the JSON form of earlier versions is read as no cache');
});
