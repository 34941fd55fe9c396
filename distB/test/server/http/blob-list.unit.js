import t from 'tap';
import { createHash } from 'node:crypto';
import { CompactManifest } from '../../../protocol/compact-manifest.js';
import { PackedBlobList } from '../../../server/http/blob-list.js';
import { PackListCache } from '../../../server/http/pack-list-cache.js';
const sha = (text) => createHash('sha256').update(text).digest('hex');
function manifestOf(files) {
    const entries = Object.entries(files)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([path, [content, size]]) => ({ path, type: 'file', mode: 0o644, size, sha256: sha(content) }));
    return CompactManifest.fromSorted([{ path: 'a-dir', type: 'dir', mode: 0o755 }, { path: 'a-link', type: 'symlink', mode: 0o777, target: 'x' }, ...entries]);
}
t.test('a pack list holds the files the target adds over its base, once each, sorted by sha256', async (t) => {
    const base = manifestOf({ kept: ['kept', 4], gone: ['gone', 4] });
    const target = manifestOf({ kept: ['kept', 4], 'kept-copy': ['kept', 4], new1: ['one', 123_456_789], new2: ['two', 0], 'new2-copy': ['two', 0] });
    const list = PackedBlobList.packOf(target, base);
    const got = Array.from({ length: list.length }, (_, i) => [list.sha256(i), list.size(i)]);
    t.same(got, [[sha('one'), 123_456_789], [sha('two'), 0]].sort(([a], [b]) => (a < b ? -1 : 1)));
    t.equal(list.bytes, 2 * 40, '40 bytes a blob');
    t.equal(PackedBlobList.packOf(target, undefined).length, 3, 'without a base, every distinct blob');
});
t.test('the cache keeps lists within its bytes, the one in use whatever its size', async (t) => {
    const cache = new PackListCache(100, 60_000);
    const one = PackedBlobList.packOf(manifestOf({ a: ['a', 1], b: ['b', 1] }), undefined);
    const two = PackedBlobList.packOf(manifestOf({ c: ['c', 1], d: ['d', 1] }), undefined);
    let made = 0;
    t.equal(cache.get('one', () => (made++, one)), one);
    t.equal(cache.get('one', () => (made++, one)), one);
    t.equal(made, 1, 'made once while held');
    cache.get('two', () => two);
    t.equal(cache.heldBytes, 80, 'the older list dropped past 100 bytes');
    cache.get('one', () => (made++, one));
    t.equal(made, 2, 'and made again when asked for');
});
//# sourceMappingURL=blob-list.unit.js.map