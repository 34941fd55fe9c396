import t from 'tap';
import { CompactManifest } from '../../../protocol/compact-manifest.js';
import { ManifestCache } from '../../../server/store/manifest-cache.js';
const manifestOf = (files) => CompactManifest.fromSorted(Array.from({ length: files }, (_, i) => ({ path: `f${i}`, type: 'file', mode: 0o644, size: 1, sha256: '0'.repeat(64) })));
t.test('holds manifests by app and seq with what they were checked under', async (t) => {
    const cache = new ManifestCache();
    const manifest = manifestOf(2);
    cache.set('web', 1, manifest, true);
    t.equal(cache.get('web', 1)?.manifest, manifest);
    t.equal(cache.get('web', 1)?.checkedStrict, true);
    t.equal(cache.get('web', 2), undefined);
    t.equal(cache.get('api', 1), undefined, 'apps do not share seqs');
    cache.set('web', 1, manifest);
    t.equal(cache.get('web', 1)?.checkedStrict, false, 'set again: replaced, not counted twice');
    t.equal(cache.heldBytes, manifest.text.length);
    cache.delete('web', 1);
    t.equal(cache.get('web', 1), undefined);
    t.equal(cache.heldBytes, 0);
});
t.test('drops the least recently used past its bound, never the one just added', async (t) => {
    const one = manifestOf(1);
    const cache = new ManifestCache(one.text.length * 2);
    cache.set('web', 1, one);
    cache.set('web', 2, manifestOf(1));
    t.ok(cache.get('web', 1), 'used: now the most recent');
    cache.set('web', 3, manifestOf(1));
    t.equal(cache.get('web', 2), undefined, 'the least recently used went');
    t.ok(cache.get('web', 1));
    t.ok(cache.get('web', 3));
    const big = manifestOf(10);
    cache.set('web', 4, big);
    t.equal(cache.get('web', 4)?.manifest, big, 'larger than the bound alone: kept');
    t.equal(cache.heldBytes, big.text.length, 'every other one dropped');
});
//# sourceMappingURL=manifest-cache.unit.js.map