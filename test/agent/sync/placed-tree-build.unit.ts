import t from 'tap';
import type * as Tap from 'tap';
import { access, lstat, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CompactManifest } from '../../../protocol/compact-manifest.js';
import type { ManifestEntry } from '../../../protocol/manifest.js';
import { ObjectLayout } from '../../../agent/cache/layout.js';
import { ObjectCache } from '../../../agent/cache/object-cache.js';
import { PlacedTreeBuild } from '../../../agent/sync/placed-tree-build.js';
import { tempDir } from '../fixtures.js';
import { checkTree, treeEntries } from './tree-fixture.js';

async function emptyCache(t: Parameters<typeof tempDir>[0]): Promise<ObjectCache> {
  const cache = new ObjectCache(new ObjectLayout(join(tempDir(t, 'codesync-placed-build-'), 'objects')));
  await cache.init();
  return cache;
}

/** Puts the objects of `entries` in the cache, in the order given; `bulk` as a cold sync's pack does. */
async function fill(cache: ObjectCache, entries: ManifestEntry[], files: Map<string, Buffer>, bulk: boolean): Promise<void> {
  for (const entry of entries) {
    if (entry.type !== 'file') continue;
    const data = files.get(entry.path)!;
    await cache.ingest(data, { sha256: entry.sha256, size: entry.size, modes: [entry.mode] }, new AbortController().signal, { bulk });
  }
  await cache.flush();
}

const files = (entries: ManifestEntry[]) => entries.filter((entry) => entry.type === 'file');
const bySha = (entries: ManifestEntry[]) => files(entries).sort((x, y) => (x.type === 'file' && y.type === 'file' ? x.sha256.localeCompare(y.sha256) : 0));

for (const bulk of [false, true]) {
  t.test(`files are linked as their objects are placed, in the order they arrive (${bulk ? 'write worker' : 'thread pool'}), and the tree is whole once finished`, async (t) => {
    const { entries, files: bytes } = treeEntries();
    const cache = await emptyCache(t);
    const root = join(tempDir(t, 'codesync-placed-build-out-'), 'tree');
    const signal = new AbortController().signal;
    const build = new PlacedTreeBuild(root, CompactManifest.fromSorted(entries), cache, signal);
    await fill(cache, bySha(entries), bytes, bulk);
    for (const entry of files(entries)) await t.resolves(access(join(root, entry.path)), `${entry.path}: linked before finish`);
    t.equal(await build.finish(signal), root);
    await checkTree(t, root, entries, bytes);
  });
}

/** A build of the fixture tree into an empty cache, its directories made: what a cold fetch's writes then claim files of. */
async function readyBuild(t: Tap.Test) {
  const { entries, files: bytes } = treeEntries();
  const cache = await emptyCache(t);
  const root = join(tempDir(t, 'codesync-placed-build-out-'), 'tree');
  const signal = new AbortController().signal;
  const build = new PlacedTreeBuild(root, CompactManifest.fromSorted(entries), cache, signal);
  await build.ready();
  return { entries, bytes, cache, root, signal, build };
}

t.test('bulk writes once the directories are made are written at their first file, which then names the object', async (t) => {
  const { entries, bytes, cache, root, signal, build } = await readyBuild(t);
  await fill(cache, bySha(entries), bytes, true);
  t.equal(await build.finish(signal), root);
  await checkTree(t, root, entries, bytes);
  for (const entry of files(entries)) {
    if (entry.type !== 'file') continue;
    const [object, file] = await Promise.all([lstat(cache.path(entry.sha256, entry.mode)), lstat(join(root, entry.path))]);
    t.equal(file.ino, object.ino, `${entry.path}: the object's own inode`);
  }
});

t.test('a claimed file whose bytes do not match its sha256 is never made, and the build fails', async (t) => {
  const { entries, bytes, cache, root, signal, build } = await readyBuild(t);
  const [bad, ...good] = files(entries);
  if (bad?.type !== 'file') throw new Error('the fixture starts with a file');
  const wrong = Buffer.from(bytes.get(bad.path)!);
  wrong[0]! ^= 1;
  await cache.ingest(wrong, { sha256: bad.sha256, size: bad.size, modes: [bad.mode] }, signal, { bulk: true });
  await t.rejects(fill(cache, good, bytes, true), { code: 'CHECKSUM_MISMATCH' });
  await t.rejects(access(join(root, bad.path)), { code: 'ENOENT' }, 'nothing under its name in the tree');
  await t.rejects(access(cache.path(bad.sha256, bad.mode)), { code: 'ENOENT' }, 'nor in the cache');
  await t.rejects(build.finish(signal));
  await t.rejects(access(root), { code: 'ENOENT' }, 'the failed tree is gone');
});

t.test('objects the cache held before the build are linked by finish', async (t) => {
  const { entries, files: bytes } = treeEntries();
  const cache = await emptyCache(t);
  const held = files(entries).slice(0, 3);
  await fill(cache, held, bytes, false);
  const root = join(tempDir(t, 'codesync-placed-build-out-'), 'tree');
  const signal = new AbortController().signal;
  const build = new PlacedTreeBuild(root, CompactManifest.fromSorted(entries), cache, signal);
  await fill(cache, files(entries).slice(3), bytes, true);
  await build.finish(signal);
  await checkTree(t, root, entries, bytes);
});

t.test('a build abandoned (a failed fetch) leaves nothing behind, and finish fails on an object never placed', async (t) => {
  const { entries, files: bytes } = treeEntries();
  const cache = await emptyCache(t);
  const out = tempDir(t, 'codesync-placed-build-out-');
  const signal = new AbortController().signal;
  const abandoned = new PlacedTreeBuild(join(out, 'a'), CompactManifest.fromSorted(entries), cache, signal);
  await fill(cache, files(entries).slice(1), bytes, false);
  await abandoned.abandon();
  t.same(await readdir(out), [], 'the abandoned tree is gone');
  const short = new PlacedTreeBuild(join(out, 'b'), CompactManifest.fromSorted(entries), await emptyCache(t), signal);
  await t.rejects(short.finish(signal), { code: 'ENOENT' });
  t.same(await readdir(out), [], 'the failed tree is gone');
});

t.test('contents whose sha256 share their first hex digits are each linked to their own object', async (t) => {
  // Two contents under one key of the build's index (the first 28 bits of the sha256), placed in
  // either order: each file gets the object of its own content, never the other's.
  const shaA = `abcdef0${'1'.repeat(57)}`;
  const shaB = `abcdef0${'2'.repeat(57)}`;
  const entries: ManifestEntry[] = [
    { path: 'a.txt', type: 'file', mode: 0o644, size: 1, sha256: shaA },
    { path: 'b.txt', type: 'file', mode: 0o644, size: 1, sha256: shaB },
    { path: 'c.txt', type: 'file', mode: 0o644, size: 1, sha256: shaA },
  ];
  const objects = tempDir(t, 'codesync-placed-build-objects-');
  const listeners: Array<(sha256: string, path: string) => void> = [];
  const placedObjects = {
    path: (sha256: string) => join(objects, sha256),
    watchPlaced: (listener: (sha256: string, path: string) => void) => {
      listeners.push(listener);
      return () => void listeners.splice(listeners.indexOf(listener), 1);
    },
    claimFiles: () => () => {},
  };
  const root = join(tempDir(t, 'codesync-placed-build-out-'), 'tree');
  const signal = new AbortController().signal;
  const build = new PlacedTreeBuild(root, CompactManifest.fromSorted(entries), placedObjects, signal);
  for (const [sha256, byte] of [[shaB, 'B'], [shaA, 'A']] as const) {
    await writeFile(join(objects, sha256), byte);
    for (const listener of listeners) listener(sha256, join(objects, sha256));
  }
  await build.finish(signal);
  t.equal(await readFile(join(root, 'a.txt'), 'utf8'), 'A');
  t.equal(await readFile(join(root, 'b.txt'), 'utf8'), 'B');
  t.equal(await readFile(join(root, 'c.txt'), 'utf8'), 'A');
});
