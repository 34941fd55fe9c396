import t from 'tap';
import { chmodSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompactManifest } from '../../protocol/compact-manifest.js';
import { manifestDigest } from '../../protocol/digest.js';
import { sha256Hex } from '../../protocol/sha256.js';
import { HashCache } from '../../cli/publish/hash-cache.js';
import { hashTree } from '../../cli/publish/hash-tree.js';
import { readBlobTar } from '../../server/tar/blob-tar-reader.js';
import { END_OF_TAR } from '../../protocol/blob-tar-header.js';
import { Readable } from 'node:stream';
import { walkTree } from '../../cli/publish/walk-tree.js';
const signal = new AbortController().signal;
function tree(count) {
    const files = {};
    for (let i = 0; i < count; i++)
        files[`f${i}.txt`] = `content of file ${i}\n`.repeat(i % 50);
    return files;
}
// 20 files take the main-thread path, 600 the worker threads: both must agree with sha256Hex.
for (const count of [20, 600]) {
    t.test(`${count} files hash to their sha256 and sizes`, async (t) => {
        const files = tree(count);
        const dir = t.testdir({ tree: files });
        const walked = await walkTree(join(dir, 'tree'), signal);
        const cache = await HashCache.load(join(dir, 'cache.json'), walked.root);
        let reported = 0;
        const hashed = await hashTree(walked, { cache, threads: 2, signal, onFile: () => reported++ });
        t.equal(hashed.hashedFiles, count);
        t.equal(reported, count, 'progress hears of every file');
        const wrong = hashed.entries.filter((entry) => entry.type === 'file' && (entry.sha256 !== sha256Hex(files[entry.path]) || entry.size !== Buffer.byteLength(files[entry.path])));
        t.same(wrong, [], 'every entry carries its content hash and size');
        t.equal(hashed.blobs.size, new Set(Object.values(files)).size, 'one local blob per distinct content');
    });
    t.test(`${count} files: a file removed after the walk is TREE_CHANGED, naming it`, async (t) => {
        const dir = t.testdir({ tree: tree(count) });
        const walked = await walkTree(join(dir, 'tree'), signal);
        rmSync(join(dir, 'tree', 'f7.txt'));
        const cache = await HashCache.load(join(dir, 'cache.json'), walked.root);
        await t.rejects(hashTree(walked, { cache, threads: 2, signal }), { code: 'TREE_CHANGED', message: /f7\.txt" was removed/ });
    });
}
t.test('an aborted hash stops its workers and rejects', async (t) => {
    const dir = t.testdir({ tree: tree(600) });
    const walked = await walkTree(join(dir, 'tree'), signal);
    const cache = await HashCache.load(join(dir, 'cache.json'), walked.root);
    const controller = new AbortController();
    let seen = 0;
    const run = hashTree(walked, { cache, threads: 2, signal: controller.signal, onFile: () => ++seen === 100 && controller.abort(new Error('stop')) });
    await t.rejects(run, { message: 'stop' });
});
t.test("the manifest made from the nodes is the entries' canonical manifest, byte for byte", async (t) => {
    const dir = t.testdir({ tree: { 'run.sh': '#!/bin/sh\n', lib: { 'a.php': '<?php', empty: {}, 'tab\there.txt': 't' }, 'é.txt': 'e' } });
    chmodSync(join(dir, 'tree', 'run.sh'), 0o755);
    symlinkSync('lib/a.php', join(dir, 'tree', 'index.php'));
    symlinkSync('x\ty', join(dir, 'tree', 'lib', 'odd-link'));
    const walked = await walkTree(join(dir, 'tree'), signal);
    const hashed = await hashTree(walked, { cache: await HashCache.load(join(dir, 'cache.json'), walked.root), threads: 2, signal });
    const manifest = hashed.manifest();
    t.ok(manifest.text.equals(CompactManifest.fromSorted(hashed.entries).text), 'same text');
    t.equal(manifest.digest(), manifestDigest(hashed.entries), 'same digest');
    t.same(manifest.toEntries(), hashed.entries, 'same entries read back');
});
t.test('a manifest of many chunks of lines, some paths not ASCII, is the canonical manifest', async (t) => {
    const files = {};
    for (let i = 0; i < 1500; i++)
        files[i % 300 === 7 ? `fé${i}.txt` : `f${i}.txt`] = `${i}`;
    const dir = t.testdir({ tree: files });
    const walked = await walkTree(join(dir, 'tree'), signal);
    const hashed = await hashTree(walked, { cache: await HashCache.load(join(dir, 'cache.json'), walked.root), threads: 2, signal });
    const manifest = hashed.manifest();
    t.ok(manifest.text.equals(CompactManifest.fromSorted(hashed.entries).text), 'same text');
    t.same(manifest.toEntries(), hashed.entries, 'same entries read back');
});
t.test('a manifest of files found in the hash cache, their digits written from its raw sha256s, is the canonical manifest', async (t) => {
    const files = {};
    for (let i = 0; i < 300; i++)
        files[i % 100 === 7 ? `fé${i}.txt` : `f${i}.txt`] = `content ${i}\n`;
    const dir = t.testdir({ tree: files });
    const walked = await walkTree(join(dir, 'tree'), signal);
    const cacheFile = join(dir, 'cache.json');
    const options = { racyWindowMs: 0 };
    const cache = HashCache.load(cacheFile, walked.root, options);
    const first = await hashTree(walked, { cache, threads: 2, signal });
    await cache.save();
    const again = HashCache.load(cacheFile, walked.root, options);
    const second = await hashTree(walked, { cache: again, threads: 2, signal });
    t.equal(second.hashedFiles, 0, 'every sha256 came from the cache');
    const manifest = second.manifest();
    t.ok(manifest.text.equals(first.manifest().text), 'the same text as the hashed run');
    t.ok(manifest.text.equals(CompactManifest.fromSorted(second.entries).text), 'the canonical text');
    t.same(second.entries, first.entries, 'the same entries');
    t.equal(second.blobs.size, 300, 'every blob by its hex sha256');
});
t.test('the manifest made between turns of the event loop, over more than one slice, is the same manifest', async (t) => {
    const files = { a: {}, b: {} };
    for (let i = 0; i < 8300; i++)
        files[i % 2 === 0 ? 'a' : 'b'][`f${i}.txt`] = `${i}`;
    const dir = t.testdir({ tree: files });
    const walked = await walkTree(join(dir, 'tree'), signal);
    const cacheFile = join(dir, 'cache.json');
    const cache = HashCache.load(cacheFile, walked.root, { racyWindowMs: 0 });
    await hashTree(walked, { cache, threads: 2, signal });
    await cache.save();
    writeFileSync(join(dir, 'tree', 'b', 'f8299.txt'), 'changed');
    const again = await walkTree(join(dir, 'tree'), signal);
    const hashed = await hashTree(again, { cache: HashCache.load(cacheFile, again.root, { racyWindowMs: 0 }), threads: 2, signal });
    t.equal(hashed.hashedFiles, 1, 'one file hashed, the rest from the cache');
    let ranBetween = false;
    const making = hashed.manifestBetweenTurns().then((manifest) => ({ manifest, ranBetween }));
    setImmediate(() => (ranBetween = true));
    const between = await making;
    t.ok(between.ranBetween, 'what was due on the event loop ran while it was made');
    t.ok(between.manifest.text.equals(hashed.manifest().text), 'same text as made at once');
    t.ok(between.manifest.text.equals(CompactManifest.fromSorted(hashed.entries).text), 'the canonical text');
});
t.test('with a pipe, the files come back as pieces of a blob tar the server reads, each entry named by its sha256', async (t) => {
    const files = tree(600);
    // Past the 1 MiB read buffer: read straight into the piece.
    files['big.bin'] = 'b'.repeat(3 * 1024 * 1024 + 7);
    const dir = t.testdir({ tree: files });
    const walked = await walkTree(join(dir, 'tree'), signal);
    const cache = await HashCache.load(join(dir, 'cache.json'), walked.root);
    const pieces = [];
    let blobs = 0;
    let bytes = 0;
    let asked = 0;
    const pipe = {
        keepAs: async () => (asked++ % 3 === 2 ? 'bytes' : 'tar'),
        take: (piece, n, b) => {
            pieces.push(piece.tar);
            blobs += n;
            bytes += b;
        },
    };
    const hashed = await hashTree(walked, { cache, threads: 2, signal, pipe: () => pipe });
    const entries = new Map();
    let read = 0;
    let readBytes = 0;
    await readBlobTar(Readable.from([...pieces, END_OF_TAR]), 1 << 30, async ({ name, bytes }) => {
        entries.set(name, Buffer.from(bytes));
        read++;
        readBytes += bytes.length;
    });
    t.equal(read, blobs, 'one entry per file counted in the pieces (a content two files hold, twice)');
    t.equal(readBytes, bytes);
    t.ok(blobs > 0 && blobs < 601, 'batches kept as bytes are in no piece');
    for (const [sha256, content] of entries)
        t.equal(sha256Hex(content), sha256, 'an entry holds the bytes its name hashes to');
    t.ok(entries.has(sha256Hex(files['big.bin'])), 'a file bigger than the read buffer is in a piece whole');
    const inTar = [...hashed.fresh].filter(([, blob]) => blob.inTar);
    t.same(inTar.map(([sha]) => sha).sort(), [...entries.keys()].sort(), 'the blobs sent in pieces are marked, holding no bytes');
    t.ok(inTar.every(([, blob]) => blob.bytes === undefined));
    const wrong = hashed.entries.filter((entry) => entry.type === 'file' && entry.sha256 !== sha256Hex(files[entry.path]));
    t.same(wrong, [], 'the manifest is as without a pipe');
});
//# sourceMappingURL=hash-tree.test.js.map