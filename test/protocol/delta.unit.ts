import t from 'tap';
import { blobsOf } from '../../agent/cache/wanted-blob.js';
import { applyDeltaToEntries, diffManifests, indexOfPath } from '../../protocol/delta.js';
import { digestOfSorted, manifestDigest } from '../../protocol/digest.js';
import type { ManifestEntry } from '../../protocol/manifest.js';
import { sha256Hex } from '../../protocol/sha256.js';
import { CONTENTS, randomEntry, randomPair as anyPair, randomPaths, sortCanonically } from '../helpers/random-manifest.js';
import { seededRandom, type SeededRandom } from '../helpers/seeded-random.js';

/** A base tree and a target made from it, the target shuffled: diffManifests takes it in any order (the delta's `added` is then unsorted too). */
const randomPair = (random: SeededRandom) => anyPair(random, { target: 'shuffled' });

t.test('applying diffManifests(base, target) to base gives target, sorted canonically', async (t) => {
  const random = seededRandom(t);
  const rounds = 300;
  let failures = 0;
  for (let round = 0; round < rounds && failures < 3; round++) {
    const { base, target } = randomPair(random);
    const result = applyDeltaToEntries(base, diffManifests(base, target));
    const expected = sortCanonically([...target]);
    const same = JSON.stringify(result) === JSON.stringify(expected);
    if (!same) {
      failures++;
      t.same(result, expected, `seed ${random.seed} round ${round}: applied delta equals the target`);
    }
    if (digestOfSorted(result) !== manifestDigest(target)) {
      failures++;
      t.fail(`seed ${random.seed} round ${round}: digest of the applied delta is the target's digest`);
    }
  }
  t.equal(failures, 0, `${rounds} random base/target pairs round-trip (seed ${random.seed})`);
});

t.test('edge cases: empty base, empty target, no change', async (t) => {
  const file = (path: string, text: string): ManifestEntry => ({ path, type: 'file', mode: 0o644, size: text.length, sha256: sha256Hex(text) });
  const tree = sortCanonically([file('b', 'x'), file('a/c', 'y'), { path: 'a', type: 'dir', mode: 0o755 }]);
  t.same(applyDeltaToEntries([], diffManifests([], tree)), tree, 'everything added to an empty base');
  t.same(applyDeltaToEntries(tree, diffManifests(tree, [])), [], 'everything removed');
  const unchanged = diffManifests(tree, tree);
  t.same(unchanged, { added: [], changed: [], removed: [] }, 'no change, empty delta');
  t.same(applyDeltaToEntries(tree, unchanged), tree, 'an empty delta keeps the base');
  const retyped = [tree[0]!, { path: 'a/c', type: 'symlink', mode: 0o777, target: '../b' } as ManifestEntry, tree[2]!];
  t.same(applyDeltaToEntries(tree, diffManifests(tree, retyped)), retyped, 'a file turned into a symlink at the same path');
  const before = JSON.stringify(tree);
  applyDeltaToEntries(tree, diffManifests(tree, [file('0', 'z')]));
  t.equal(JSON.stringify(tree), before, 'the base is not modified in place');
});

t.test('digestOfSorted equals manifestDigest on canonically sorted entries', async (t) => {
  const random = seededRandom(t);
  for (let round = 0; round < 50; round++) {
    const entries = sortCanonically(randomPaths(random).map((path) => randomEntry(random, path)));
    if (digestOfSorted(entries) !== manifestDigest(entries)) {
      t.fail(`seed ${random.seed} round ${round}: digests differ`);
      return;
    }
  }
  t.equal(digestOfSorted([]), manifestDigest([]), 'empty manifest');
  t.match(digestOfSorted([]), /^sha256:[0-9a-f]{64}$/, 'sha256: prefix and 64 hex digits');
});

t.test('blobsOf: one blob per content, every mode it is written with, files only', async (t) => {
  const [empty, one] = CONTENTS as [(typeof CONTENTS)[0], (typeof CONTENTS)[0]];
  const entries: ManifestEntry[] = [
    { path: 'a', type: 'file', mode: 0o644, ...one },
    { path: 'b', type: 'file', mode: 0o755, ...one },
    { path: 'c', type: 'file', mode: 0o644, ...one },
    { path: 'd', type: 'file', mode: 0o600, ...empty },
    { path: 'e', type: 'dir', mode: 0o755 },
    { path: 'f', type: 'symlink', mode: 0o777, target: 'a' },
  ];
  const blobs = blobsOf(entries);
  t.equal(blobs.length, 2, 'two distinct contents');
  const byHash = new Map(blobs.map((blob) => [blob.sha256, blob]));
  t.same(byHash.get(one.sha256), { sha256: one.sha256, size: one.size, modes: [0o644, 0o755] }, 'shared content: both modes, once each');
  t.same(byHash.get(empty.sha256), { sha256: empty.sha256, size: 0, modes: [0o600] }, 'the empty file is a blob too');
  t.same(blobsOf([{ path: 'x', type: 'dir', mode: 0o755 }]), [], 'no files, no blobs');
});

t.test('indexOfPath finds every entry of a sorted manifest and nothing else', async (t) => {
  const random = seededRandom(t);
  for (let round = 0; round < 50; round++) {
    const pool = randomPaths(random);
    const entries = sortCanonically(pool.filter(() => random.next() < 0.5).map((path) => randomEntry(random, path)));
    const present = new Set(entries.map((entry) => entry.path));
    for (const path of pool) {
      const index = indexOfPath(entries, path);
      const expected = present.has(path) ? entries.findIndex((entry) => entry.path === path) : -1;
      if (index !== expected) {
        t.fail(`seed ${random.seed} round ${round}: indexOfPath(${JSON.stringify(path)}) is ${index}, want ${expected}`);
        return;
      }
    }
  }
  t.equal(indexOfPath([], 'a'), -1, 'empty manifest');
  t.pass('every path of 50 random manifests found at its index, absent ones at -1');
});
