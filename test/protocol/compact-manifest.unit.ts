import t from 'tap';
import { CompactManifest } from '../../protocol/compact-manifest.js';
import { decodeManifestFile, encodeManifestFile } from '../../protocol/compact-manifest-file.js';
import { diffManifests } from '../../protocol/delta.js';
import { canonicalLine, manifestDigest } from '../../protocol/digest.js';
import type { ManifestEntry } from '../../protocol/manifest.js';
import { sha256Hex } from '../../protocol/sha256.js';
import { PATH_NAMES, randomEntry as anyEntry, randomPair as anyPair, randomPaths as anyPaths, sortCanonically } from '../helpers/random-manifest.js';
import { seededRandom, type SeededRandom } from '../helpers/seeded-random.js';

// Beyond the shared names: names with the canonical line's own separators (tab, newline), which
// only the offsets can delimit, and targets that look like a canonical line.
const ALPHABET = { names: [...PATH_NAMES, 'tab\there', 'new\nline'], targets: ['a', '../b', 'x\ty', 'file\t0644\t1\t'] };
const randomPaths = (random: SeededRandom) => anyPaths(random, ALPHABET);
const randomEntry = (random: SeededRandom, path: string) => anyEntry(random, path, ALPHABET);
const randomPair = (random: SeededRandom) => anyPair(random, { alphabet: ALPHABET });

/** Every field of every entry, whatever the key order of the objects. */
const text = (entries: readonly ManifestEntry[]) => entries.map(canonicalLine).join('');

t.test('entries, digest and lookups round-trip through the compact form', async (t) => {
  const random = seededRandom(t);
  let failures = 0;
  for (let round = 0; round < 200 && failures < 3; round++) {
    const pool = randomPaths(random);
    const entries = sortCanonically(pool.filter(() => random.next() < 0.5).map((path) => randomEntry(random, path)));
    const compact = CompactManifest.fromSorted(entries);
    const problems: string[] = [];
    if (text(compact.toEntries()) !== text(entries)) problems.push('entries differ');
    if (compact.digest() !== manifestDigest(entries)) problems.push('digest differs');
    for (const path of pool) {
      const expected = entries.findIndex((entry) => entry.path === path);
      if (compact.indexOf(path) !== expected) problems.push(`indexOf(${JSON.stringify(path)})`);
      if (compact.hasDescendants(path) !== entries.some((entry) => entry.path.startsWith(`${path}/`))) problems.push(`hasDescendants(${JSON.stringify(path)})`);
      const below = entries.filter((entry) => entry.path.startsWith(`${path}/`)).map((entry) => entry.path);
      if (JSON.stringify(compact.pathsBelow(path)) !== JSON.stringify(below)) problems.push(`pathsBelow(${JSON.stringify(path)})`);
    }
    const stored = decodeManifestFile(Buffer.concat(encodeManifestFile(compact, { seq: round })));
    const fromLines = CompactManifest.fromStored(JSON.parse(JSON.stringify(compact.lines())) as unknown[], compact.pathBytes());
    if (!fromLines.text.equals(compact.text) || text(fromLines.toEntries()) !== text(entries)) problems.push('lines round trip');
    if (!stored || stored.header.seq !== round || !stored.manifest.text.equals(compact.text) || text(stored.manifest.toEntries()) !== text(entries)) problems.push('serialize round trip');
    if (problems.length > 0) {
      failures++;
      t.fail(`seed ${random.seed} round ${round}: ${problems.join(', ')}`);
    }
  }
  t.equal(failures, 0, `200 random manifests round-trip (seed ${random.seed})`);
  t.equal(CompactManifest.fromSorted([]).digest(), manifestDigest([]), 'the empty manifest has the canonical empty digest');
});

t.test('applyDelta and diff agree with the entry-list forms', async (t) => {
  const random = seededRandom(t);
  let failures = 0;
  for (let round = 0; round < 300 && failures < 3; round++) {
    const { base, target } = randomPair(random);
    const compactBase = CompactManifest.fromSorted(base);
    const delta = diffManifests(base, target);
    const applied = compactBase.applyDelta(delta);
    const problems: string[] = [];
    // Hashed from the base's runs before its text is built, and from the text built.
    if (applied.digest() !== manifestDigest(target)) problems.push('digest of the applied delta, its text not built');
    if (text(applied.toEntries()) !== text(target)) problems.push('applied delta is not the target');
    const built = compactBase.applyDelta(delta);
    if (!built.text.equals(Buffer.from(text(target))) || built.digest() !== manifestDigest(target)) problems.push('digest of the applied delta, its text built');
    const back = compactBase.applyDelta(delta).applyDelta(diffManifests(target, base));
    if (back.digest() !== manifestDigest(base) || text(back.toEntries()) !== text(base)) problems.push('a delta applied to a manifest made by a delta, its text not built');
    const diffed = compactBase.diff(CompactManifest.fromSorted(target));
    if (text(compactBase.applyDelta(diffed).toEntries()) !== text(target)) problems.push('diff does not lead to the target');
    if (problems.length > 0) {
      failures++;
      t.fail(`seed ${random.seed} round ${round}: ${problems.join(', ')}`);
    }
  }
  t.equal(failures, 0, `300 random base/target pairs (seed ${random.seed})`);
});

t.test('a chain of deltas on a large text hashes each step as its whole text does (digests start from the base\'s marks)', async (t) => {
  const random = seededRandom(t);
  const file = (path: string, version: number): ManifestEntry => ({ path, type: 'file', mode: 0o644, size: version, sha256: sha256Hex(`${path} ${version}`) });
  let entries = sortCanonically(Array.from({ length: 3000 }, (_, i) => file(`d${i % 7}/f${i}`, 0)));
  let manifest = CompactManifest.fromSorted(entries);
  t.equal(manifest.digest(), manifestDigest(entries));
  let failures = 0;
  for (let step = 1; step <= 60 && failures < 3; step++) {
    // Changes anywhere (a longer size shifts what follows), an addition and a removal now and then.
    const changed = Array.from({ length: 1 + Math.floor(random.next() * 3) }, () => entries[Math.floor(random.next() * entries.length)]!.path);
    const target = entries.map((entry) => (changed.includes(entry.path) ? file(entry.path, step * 1000) : entry)).filter(() => random.next() > 0.001);
    if (random.next() < 0.3) target.push(file(`d${step % 7}/new${step}`, step));
    const sorted = sortCanonically(target);
    const next = manifest.applyDelta(diffManifests(entries, sorted));
    if (next.digest() !== manifestDigest(sorted)) {
      failures++;
      t.fail(`seed ${random.seed} step ${step}: digest differs`);
    }
    // Every other step's text is built before the next delta, as the agent's background does.
    if (step % 2 === 0 && !next.text.equals(Buffer.from(text(sorted)))) t.fail(`step ${step}: text differs`);
    entries = sorted;
    manifest = next;
  }
  t.equal(failures, 0, `60 steps (seed ${random.seed})`);
});

t.test('a delta that does not fit its base is INVALID_DELTA', async (t) => {
  const file = (path: string, text: string): ManifestEntry => ({ path, type: 'file', mode: 0o644, size: text.length, sha256: sha256Hex(text) });
  const base = CompactManifest.fromSorted([file('a', 'x'), file('b', 'y')]);
  t.throws(() => base.applyDelta({ added: [], changed: [], removed: ['c'] }), { code: 'INVALID_DELTA' }, 'removes a path the base lacks');
  t.throws(() => base.applyDelta({ added: [], changed: [file('c', 'z')], removed: [] }), { code: 'INVALID_DELTA' }, 'changes a path the base lacks');
  t.throws(() => base.applyDelta({ added: [file('a', 'z')], changed: [], removed: [] }), { code: 'INVALID_DELTA' }, 'adds a path the base holds');
  t.throws(() => base.applyDelta({ added: [file('c', 'z'), file('c', 'w')], changed: [], removed: [] }), { code: 'DUPLICATE_PATH' }, 'adds a path twice');
  t.throws(() => base.applyDelta({ added: [], changed: [file('a', 'z')], removed: ['a'] }), { code: 'DUPLICATE_PATH' }, 'changes and removes one path');
  t.same(base.applyDelta({ added: [], changed: [], removed: [] }).toEntries(), base.toEntries(), 'an empty delta keeps the base');
});

t.test('a cut-short or altered stored form is refused, not misread', async (t) => {
  const compact = CompactManifest.fromSorted(sortCanonically([{ path: 'a', type: 'dir', mode: 0o755 }, { path: 'a/b', type: 'symlink', mode: 0o777, target: '..' }]));
  const whole = Buffer.concat(encodeManifestFile(compact, { seq: 1 }));
  t.ok(decodeManifestFile(whole), 'the whole form reads back');
  for (const length of [0, 5, whole.length - 1]) t.equal(decodeManifestFile(whole.subarray(0, length)), undefined, `cut at ${length} bytes`);
  t.equal(decodeManifestFile(Buffer.concat([whole, Buffer.from('x')])), undefined, 'a trailing byte');
});

t.test('a stored form in memory of its own is read in place when its offsets are aligned, else copied; both read the same', async (t) => {
  const compact = CompactManifest.fromSorted(sortCanonically([{ path: 'a', type: 'dir', mode: 0o755 }, { path: 'a/b', type: 'file', mode: 0o644, size: 1, sha256: 'b'.repeat(64) }]));
  const inPlace: boolean[] = [];
  // Headers of four lengths: one of them puts the offsets at a multiple of 4.
  for (const pad of ['', 'x', 'xx', 'xxx']) {
    const whole = Buffer.concat(encodeManifestFile(compact, { seq: 1, pad }));
    const own = Buffer.from(new ArrayBuffer(whole.length));
    whole.copy(own);
    const read = decodeManifestFile(own)!;
    t.equal(read.manifest.digest(), compact.digest(), `header padded by ${pad.length}: same manifest`);
    // Read in place: the manifest's text changes with the memory it was read from.
    own.fill(0);
    inPlace.push(read.manifest.digest() !== compact.digest());
    // A slice of a bigger buffer is always copied: a view would keep the rest alive.
    const slice = Buffer.concat([Buffer.alloc(8), whole]).subarray(8);
    const sliced = decodeManifestFile(slice)!;
    slice.fill(0);
    t.equal(sliced.manifest.digest(), compact.digest(), `header padded by ${pad.length}: a slice is copied`);
  }
  t.same(inPlace.filter(Boolean).length, 1, 'read in place exactly when aligned');
});

t.test('toEntries of an ASCII text cuts fields by offsets: tabs and newlines in paths and targets stay whole', async (t) => {
  const entries: ManifestEntry[] = [
    { path: 'a\tb', type: 'file', mode: 0o755, size: 12, sha256: 'a'.repeat(64) },
    { path: 'd', type: 'dir', mode: 0o755 },
    { path: 'd/l\nk', type: 'symlink', mode: 0o777, target: 'file\t0644\t1\t' },
  ];
  t.same(CompactManifest.fromSorted(entries).toEntries(), entries);
});

t.test('diff finds changes anywhere among long runs of equal lines', async (t) => {
  const file = (i: number, content: string): ManifestEntry => ({ path: `src/f${String(i).padStart(5, '0')}.php`, type: 'file', mode: 0o644, size: content.length, sha256: sha256Hex(content) });
  const base = Array.from({ length: 1000 }, (_, i) => file(i, `${i}`));
  // Changes at the edges of the blocks diff compares at once, side by side, and at both ends.
  const changedAt = new Set([0, 1, 63, 64, 65, 127, 128, 500, 998, 999]);
  const target = base.map((entry, i) => (changedAt.has(i) ? file(i, `changed ${i}`) : entry)).filter((_, i) => i !== 300 && i !== 301);
  target.push(file(1000, 'new'));
  const delta = CompactManifest.fromSorted(base).diff(CompactManifest.fromSorted(target));
  t.same(delta, diffManifests(base, target), 'the same delta as the entry-list form');
  t.equal(delta.changed.length, changedAt.size);
  t.same(delta.removed, [base[300]!.path, base[301]!.path]);
  t.same(CompactManifest.fromSorted(base).diff(CompactManifest.fromSorted(base)), { added: [], changed: [], removed: [] }, 'no change, no delta');
});

t.test('diff tells lines apart by their offsets where a path holding a newline makes the bytes match', async (t) => {
  // After a line both hold (so diff compares the next two at once): "a" then a path that reads as
  // the newline and the next line, against "a\n<line>" then "c": the same bytes, cut into lines
  // at other places.
  const sha = sha256Hex('x');
  const line = (path: string) => `file\t0644\t1\t${sha}\t${path}\n`;
  const first: ManifestEntry = { path: '0', type: 'file', mode: 0o644, size: 1, sha256: sha };
  const base: ManifestEntry[] = [first, { path: 'a', type: 'file', mode: 0o644, size: 1, sha256: sha }, { path: `b\n${line('c').slice(0, -1)}`, type: 'file', mode: 0o644, size: 1, sha256: sha }];
  const target: ManifestEntry[] = [first, { path: `a\n${line('b').slice(0, -1)}`, type: 'file', mode: 0o644, size: 1, sha256: sha }, { path: 'c', type: 'file', mode: 0o644, size: 1, sha256: sha }];
  const [compactBase, compactTarget] = [CompactManifest.fromSorted(sortCanonically(base)), CompactManifest.fromSorted(sortCanonically(target))];
  t.ok(compactBase.text.equals(compactTarget.text), 'the texts are byte for byte the same');
  t.same(compactBase.diff(compactTarget), diffManifests(sortCanonically(base), sortCanonically(target)));
  t.equal(text(compactBase.applyDelta(compactBase.diff(compactTarget)).toEntries()), text(sortCanonically(target)));
});

t.test('sharedRuns names exactly the lines both manifests hold alike, in order', async (t) => {
  const random = seededRandom(t);
  let failures = 0;
  for (let round = 0; round < 300 && failures < 3; round++) {
    const { base, target } = randomPair(random);
    const [compactBase, compactTarget] = [CompactManifest.fromSorted(base), CompactManifest.fromSorted(target)];
    const runs = compactBase.sharedRuns(compactTarget);
    const sharedLines = new Set(base.map(canonicalLine).filter((line) => target.some((entry) => canonicalLine(entry) === line)));
    const named = new Set<string>();
    const problems: string[] = [];
    let lastHere = -1;
    let lastThere = -1;
    for (let r = 0; r < runs.length; r += 3) {
      const [here, there, count] = [runs[r]!, runs[r + 1]!, runs[r + 2]!];
      if (here <= lastHere || there <= lastThere || count < 1) problems.push('runs out of order');
      for (let k = 0; k < count; k++) {
        if (canonicalLine(compactBase.entry(here + k)) !== canonicalLine(compactTarget.entry(there + k))) problems.push('a run holds different lines');
        named.add(canonicalLine(compactTarget.entry(there + k)));
      }
      lastHere = here + count - 1;
      lastThere = there + count - 1;
    }
    if (named.size !== sharedLines.size) problems.push(`${named.size} lines named, ${sharedLines.size} shared`);
    if (problems.length > 0) {
      failures++;
      t.fail(`seed ${random.seed} round ${round}: ${problems.join(', ')}`);
    }
  }
  t.equal(failures, 0, `300 random base/target pairs (seed ${random.seed})`);
});
