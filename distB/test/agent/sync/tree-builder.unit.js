import t from 'tap';
import { join } from 'node:path';
import { ObjectLayout } from '../../../agent/cache/layout.js';
import { ObjectCache } from '../../../agent/cache/object-cache.js';
import { buildTree } from '../../../agent/sync/tree-builder.js';
import { tempDir } from '../fixtures.js';
import { checkTree, treeEntries } from './tree-fixture.js';
async function cacheWith(t, entries, files) {
    const cache = new ObjectCache(new ObjectLayout(join(tempDir(t, 'codesync-tree-builder-'), 'objects')));
    await cache.init();
    for (const entry of entries) {
        if (entry.type !== 'file')
            continue;
        const data = files.get(entry.path);
        await cache.ingest(data, { sha256: entry.sha256, size: entry.size, modes: [entry.mode] }, new AbortController().signal);
    }
    await cache.flush();
    return cache;
}
t.test('a tree built from canonically ordered entries holds every entry with its mode, directories finished as the walk leaves them', async (t) => {
    const { entries, files } = treeEntries();
    const cache = await cacheWith(t, entries, files);
    const root = join(tempDir(t, 'codesync-tree-builder-out-'), 'tree');
    await buildTree(root, entries, cache, new AbortController().signal);
    await checkTree(t, root, entries, files);
});
t.test('entries out of canonical order build the same tree (directories finished at the end)', async (t) => {
    const { entries, files } = treeEntries();
    const cache = await cacheWith(t, entries, files);
    const root = join(tempDir(t, 'codesync-tree-builder-out-'), 'tree');
    await buildTree(root, [...entries].reverse(), cache, new AbortController().signal);
    await checkTree(t, root, entries, files);
});
//# sourceMappingURL=tree-builder.unit.js.map