import t from 'tap';
import type * as Tap from 'tap';
import { lstat, readFile, readlink, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ManifestEntry } from '../../../protocol/manifest.js';
import { ObjectLayout } from '../../../agent/cache/layout.js';
import { ObjectCache } from '../../../agent/cache/object-cache.js';
import { buildTree } from '../../../agent/sync/tree-builder.js';
import { tempDir } from '../fixtures.js';
import { treeEntries } from './tree-fixture.js';

async function cacheWith(t: Parameters<typeof tempDir>[0], entries: ManifestEntry[], files: Map<string, Buffer>): Promise<ObjectCache> {
  const cache = new ObjectCache(new ObjectLayout(join(tempDir(t, 'codesync-tree-builder-'), 'objects')));
  await cache.init();
  for (const entry of entries) {
    if (entry.type !== 'file') continue;
    const data = files.get(entry.path)!;
    await cache.ingest(data, { sha256: entry.sha256, size: entry.size, modes: [entry.mode] }, new AbortController().signal);
  }
  await cache.flush();
  return cache;
}

async function check(t: Tap.Test, root: string, entries: ManifestEntry[], files: Map<string, Buffer>): Promise<void> {
  for (const entry of entries) {
    const path = join(root, entry.path);
    const stats = await lstat(path);
    if (entry.type === 'file') {
      t.ok((await readFile(path)).equals(files.get(entry.path)!), `${entry.path}: its bytes`);
      t.equal(stats.mode & 0o777, entry.mode, `${entry.path}: mode ${entry.mode.toString(8)}`);
    } else if (entry.type === 'dir') {
      t.ok(stats.isDirectory(), `${entry.path}: a directory`);
      t.equal(stats.mode & 0o777, entry.mode, `${entry.path}: mode ${entry.mode.toString(8)}`);
    } else {
      t.equal(await readlink(path), entry.target, `${entry.path}: its target`);
    }
  }
  t.equal((await lstat(join(root, 'lib/d0'))).mode & 0o777, 0o755, 'an implied directory: 755');
  t.same((await readdir(join(root, 'a/e'))).sort(), [], 'an empty directory stays empty');
}

t.test('a tree built from canonically ordered entries holds every entry with its mode, directories finished as the walk leaves them', async (t) => {
  const { entries, files } = treeEntries();
  const cache = await cacheWith(t, entries, files);
  const root = join(tempDir(t, 'codesync-tree-builder-out-'), 'tree');
  await buildTree(root, entries, cache, new AbortController().signal);
  await check(t, root, entries, files);
});

t.test('entries out of canonical order build the same tree (directories finished at the end)', async (t) => {
  const { entries, files } = treeEntries();
  const cache = await cacheWith(t, entries, files);
  const root = join(tempDir(t, 'codesync-tree-builder-out-'), 'tree');
  await buildTree(root, [...entries].reverse(), cache, new AbortController().signal);
  await check(t, root, entries, files);
});
