import t from 'tap';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompactManifest } from '../../protocol/compact-manifest.js';
import { loadPublishedTree, StagedPublishedTree } from '../../cli/publish/published-tree.js';
const ORIGIN = 'http://127.0.0.1:1';
function manifestOf(files) {
    const entries = Array.from({ length: files }, (_, i) => ({ path: `f${String(i).padStart(4, '0')}.txt`, type: 'file', mode: 0o644, size: i, sha256: String(i % 10).repeat(64) }));
    return CompactManifest.fromSorted(entries);
}
t.test('a staged tree is read back, with the seq the server gave, once committed', async (t) => {
    const dir = t.testdir({});
    const file = join(dir, 'cache', 'c.published');
    const manifest = manifestOf(500);
    const staged = StagedPublishedTree.start(file, ORIGIN, 'web', manifest, manifest.digest());
    t.equal(loadPublishedTree(file, ORIGIN, 'web'), undefined, 'nothing in place before the answer');
    await staged.commit(9_007_199_254_740_991);
    const loaded = loadPublishedTree(file, ORIGIN, 'web');
    t.equal(loaded?.seq, 9_007_199_254_740_991, 'the largest seq fits its slot');
    t.equal(loaded?.digest, manifest.digest());
    t.ok(loaded?.manifest.text.equals(manifest.text), 'the same manifest');
    t.equal(loadPublishedTree(file, ORIGIN, 'api'), undefined, 'another app finds none');
    const next = manifestOf(501);
    const second = StagedPublishedTree.start(file, ORIGIN, 'web', next, next.digest());
    await second.commit(7);
    t.match(loadPublishedTree(file, ORIGIN, 'web'), { seq: 7, digest: next.digest() }, 'replaced by the next one');
    t.same(readdirSync(join(dir, 'cache')), ['c.published'], 'no temp file left behind');
});
t.test('a staged tree discarded, or never committed (a crash), leaves the last one in place', async (t) => {
    const dir = t.testdir({});
    const file = join(dir, 'c.published');
    const first = manifestOf(20);
    await StagedPublishedTree.start(file, ORIGIN, 'web', first, first.digest()).commit(3);
    const before = readFileSync(file);
    const other = manifestOf(21);
    await StagedPublishedTree.start(file, ORIGIN, 'web', other, other.digest()).discard();
    t.ok(readFileSync(file).equals(before), 'discard leaves the file as it was');
    t.same(readdirSync(dir), ['c.published'], 'and no temp file');
    // What a crash between the write and the commit leaves: a temp file, with seq 0 in its slot.
    const abandoned = StagedPublishedTree.start(file, ORIGIN, 'web', other, other.digest());
    await new Promise((resolve) => setTimeout(resolve, 50));
    t.match(loadPublishedTree(file, ORIGIN, 'web'), { seq: 3, digest: first.digest() }, 'the last committed tree is what loads');
    await abandoned.discard();
});
t.test('a published tree cut short or with a bad seq slot is not used', async (t) => {
    const dir = t.testdir({});
    const file = join(dir, 'c.published');
    const manifest = manifestOf(50);
    await StagedPublishedTree.start(file, ORIGIN, 'web', manifest, manifest.digest()).commit(12);
    const whole = readFileSync(file);
    writeFileSync(file, whole.subarray(0, whole.length - 10));
    t.equal(loadPublishedTree(file, ORIGIN, 'web'), undefined, 'a torn file is ignored');
    writeFileSync(file, Buffer.from(whole.toString('latin1').replace(/"seq": *12}/, '"seq":0}'), 'latin1'));
    t.equal(loadPublishedTree(file, ORIGIN, 'web'), undefined, 'seq 0 (never committed) is no seq');
});
//# sourceMappingURL=published-tree.test.js.map