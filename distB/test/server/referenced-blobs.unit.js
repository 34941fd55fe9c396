import t from 'tap';
import { createHash } from 'node:crypto';
import { CompactManifest } from '../../protocol/compact-manifest.js';
import { comparePathBytes } from '../../protocol/paths.js';
import { blobKeys, ReferencedBlobs } from '../../server/referenced-blobs.js';
const sha = (text) => createHash('sha256').update(text).digest('hex');
const tree = (texts) => CompactManifest.fromSorted([
    { path: 'dir', type: 'dir', mode: 0o755 },
    { path: 'dir/link', type: 'symlink', mode: 0o777, target: sha('not a blob') },
    ...texts.map((text, i) => ({ path: `dir/f${i}`, type: 'file', mode: 0o644, size: text.length, sha256: sha(text) })),
].sort((a, b) => comparePathBytes(a.path, b.path)));
t.test('the blobs of every release added are referenced, and no other blob is', async (t) => {
    const one = tree(['a', 'b', 'c', 'a']);
    const two = tree(['a', 'b', 'd']);
    t.equal(blobKeys(one).length, 3, 'a blob two files share is one key; links and dirs have none');
    const references = new ReferencedBlobs();
    references.addKeys(blobKeys(one));
    t.ok(references.has(sha('c')));
    t.notOk(references.has(sha('d')), 'a blob only a release not added yet references');
    references.addKeys(blobKeys(two));
    for (const text of ['a', 'b', 'c', 'd'])
        t.ok(references.has(sha(text)), `${text} is referenced`);
    t.equal(references.size, 4);
    for (const text of ['e', 'not a blob', 'orphan'])
        t.notOk(references.has(sha(text)), `${text} is not`);
    t.notOk(references.has('not-hex-at-all-but-long-enough'), 'a name that is no sha256 is not');
    t.notOk(references.has(''), 'nor an empty one');
});
t.test('a blob sharing a referenced blob\'s key is kept, never the other way round', async (t) => {
    const referenced = sha('a');
    const references = new ReferencedBlobs();
    references.addKeys(blobKeys(tree(['a'])));
    const sameKey = `${referenced.slice(0, 12)}${'0'.repeat(52)}`;
    t.ok(references.has(sameKey), 'same first 48 bits: answered referenced, so GC keeps it');
    t.ok(references.has(referenced));
});
//# sourceMappingURL=referenced-blobs.unit.js.map