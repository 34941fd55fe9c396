import t from 'tap';
import { readFileSync } from 'node:fs';
import { canonicalLine, manifestDigest } from '../../protocol/digest.js';
import { validateManifest } from '../../protocol/manifest.js';
import { sha256Hex } from '../../protocol/sha256.js';
// The vector lives in the source tree, next to the compiled test's source.
const vectorPath = new URL('../../../test/vectors/digest-vector.json', import.meta.url);
const vector = JSON.parse(readFileSync(vectorPath, 'utf8'));
t.test('canonical digest matches the committed test vector', async (t) => {
    const entries = validateManifest(vector.entries);
    t.same(entries.map(canonicalLine), vector.lines, 'canonical lines, sorted by path bytes');
    t.equal(manifestDigest(vector.entries), vector.digest, 'digest of unsorted input');
    t.equal(manifestDigest([...vector.entries].reverse()), vector.digest, 'digest does not depend on input order');
});
t.test('vector file entries agree with their contents', async (t) => {
    for (const entry of vector.entries) {
        if (entry.type !== 'file')
            continue;
        const content = vector.contents[entry.path];
        t.type(content, 'string', `content for ${entry.path}`);
        t.equal(entry.sha256, sha256Hex(content), `sha256 of ${entry.path}`);
        t.equal(entry.size, Buffer.byteLength(content), `size of ${entry.path}`);
    }
});
t.test('any change to an entry changes the digest', async (t) => {
    const base = manifestDigest(vector.entries);
    const file = vector.entries.find((e) => e.path === 'index.php');
    const variants = [
        vector.entries.map((e) => (e === file ? { ...file, mode: 0o755 } : e)),
        vector.entries.map((e) => (e === file ? { ...file, path: 'index2.php' } : e)),
        vector.entries.filter((e) => e !== file),
    ];
    for (const variant of variants)
        t.not(manifestDigest(variant), base);
});
t.test('paths sort as UTF-8 bytes, not UTF-16 code units', async (t) => {
    // U+FF5E (3 bytes, EF BD 9E) sorts before U+1F600 (4 bytes, F0 ...) as bytes, but after it in UTF-16.
    const a = { path: '\uff5e', type: 'dir', mode: 0o755 };
    const b = { path: '\u{1f600}', type: 'dir', mode: 0o755 };
    t.same(validateManifest([b, a]).map((e) => e.path), [a.path, b.path]);
});
//# sourceMappingURL=digest.unit.js.map