import t from 'tap';
import type * as Tap from 'tap';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReleaseManifest, ReleaseSummary } from '../../protocol/api.js';
import { manifestDigest } from '../../protocol/digest.js';
import type { ManifestEntry } from '../../protocol/manifest.js';
import { sha256Hex } from '../../protocol/sha256.js';
import type { PublishResult } from '../../cli/publish/publish-result.js';
import { BIN, runCli } from '../helpers/codesync-process.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { getJson, publishFlags, settleTimestamps, startServer } from './server-fixture.js';

const big = 'x'.repeat(3 * 1024 * 1024);

// Unmetered, so a test can read a blob back without asking for a pull slot first; shared by the
// tests that publish apps of their own.
let unmetered: Promise<{ url: string }> | undefined;
const unmeteredServer = () => {
  if (!unmetered) {
    const data = mkdtempSync(join(tmpdir(), 'codesync-publish-'));
    t.teardown(() => rmSync(data, { recursive: true, force: true }));
    unmetered = startServer(t, data, ['--max-concurrent-pulls', '0']);
  }
  return unmetered;
};

/**
 * Publishes `dir`/tree to app `cold` from checkout cacheA, then the same tree to app `held` from
 * checkout cacheB, which has no cache of it: the server then holds every blob.
 */
async function publishColdThenHeld(t: Tap.Test, url: string, dir: string): Promise<[PublishResult, PublishResult]> {
  const tree = join(dir, 'tree');
  await settleTimestamps();
  const cold = await runCliInProcess(['publish', tree, ...publishFlags(url, join(dir, 'cacheA'), 'cold'), '--json']);
  t.equal(cold.code, 0, cold.stderr);
  const held = await runCliInProcess(['publish', tree, ...publishFlags(url, join(dir, 'cacheB'), 'held'), '--json']);
  t.equal(held.code, 0, held.stderr);
  return [JSON.parse(cold.stdout) as PublishResult, JSON.parse(held.stdout) as PublishResult];
}

t.test('a first publish of a tree the server lacks uploads its blobs first and posts the manifest once; one it holds is asked about first', async (t) => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 12; i++) files[`f${i}.txt`] = `file ${i}\n`;
  const dir = t.testdir({ data: {}, tree: files, cacheA: {}, cacheB: {} });
  const { url } = await startServer(t, join(dir, 'data'));
  const [first, second] = await publishColdThenHeld(t, url, dir);
  t.match(first, { seq: 1, uploadedBlobs: 12, manifestForm: 'full' });
  t.match(second, { seq: 1, uploadedBlobs: 0, digest: first.digest });
  t.equal(first.manifestBytes, second.manifestBytes, 'the cold publish posted its manifest once, as the one whose blobs were all held');
});

t.test('a cold publish hashed on workers sends its blobs while it hashes; the same tree from a fresh checkout sends none', async (t) => {
  const files: Record<string, string> = {};
  // Enough files to be hashed on worker threads (the pipelined upload), one content twice.
  for (let i = 0; i < 700; i++) files[`f${i}.txt`] = `file ${i % 650}\n`.repeat(1 + (i % 40));
  const dir = t.testdir({ data: {}, tree: { ...files, 'big.bin': big }, cacheA: {}, cacheB: {} });
  const { url } = await startServer(t, join(dir, 'data'), ['--max-concurrent-pulls', '0']);
  const [first, second] = await publishColdThenHeld(t, url, dir);
  t.ok(first.uploadedBlobs >= 651, 'every distinct blob went up (a content two files hold may go twice)');
  t.match(second, { seq: 1, uploadedBlobs: 0, digest: first.digest });
  t.equal(first.manifestBytes, second.manifestBytes, 'the cold publish posted its manifest once');
  const manifest = await getJson<ReleaseManifest>(`${url}/v1/apps/cold/releases/1/manifest`);
  t.equal(manifest.entries.length, 701);
  for (const [path, content] of [['f3.txt', files['f3.txt']!], ['f699.txt', files['f699.txt']!], ['big.bin', big]] as const) {
    const back = await fetch(`${url}/v1/blobs/${sha256Hex(content)}`);
    t.equal(await back.text(), content, `${path} is served back byte for byte`);
  }
});

t.test('publish, republish unchanged, change one file: only that blob travels', async (t) => {
  const dir = t.testdir({ data: {}, tree: { 'index.php': '<?php echo 1;', lib: { 'a.lua': 'return 1', empty: {} }, 'big.bin': big } });
  const tree = join(dir, 'tree');
  symlinkSync('lib/a.lua', join(tree, 'alias.lua'));
  const { url } = await startServer(t, join(dir, 'data'));
  const flags = publishFlags(url, dir);
  await settleTimestamps();

  const first = await runCliInProcess(['publish', tree, ...flags, '--meta', 'commit=abc123', '--meta', 'author=ci']);
  t.equal(first.code, 0, first.stderr);
  const expected: ManifestEntry[] = [
    { path: 'alias.lua', type: 'symlink', mode: 0o777, target: 'lib/a.lua' },
    { path: 'big.bin', type: 'file', mode: 0o644, size: big.length, sha256: sha256Hex(big) },
    { path: 'index.php', type: 'file', mode: 0o644, size: 13, sha256: sha256Hex('<?php echo 1;') },
    { path: 'lib', type: 'dir', mode: 0o755 },
    { path: 'lib/a.lua', type: 'file', mode: 0o644, size: 8, sha256: sha256Hex('return 1') },
    { path: 'lib/empty', type: 'dir', mode: 0o755 },
  ];
  const digest = manifestDigest(expected);
  t.equal(first.stdout, `1 ${digest}\n`, 'prints "seq digest", the digest of the tree as docs/design.md#data-model defines it');
  t.match(first.stderr, /uploaded 3 blobs, \d+ bytes/);
  const stored = await getJson<ReleaseManifest>(`${url}/v1/apps/demo/releases/1/manifest`);
  t.same(stored.entries, expected, 'the server holds exactly the walked tree');
  t.same(stored.meta, { commit: 'abc123', author: 'ci' });

  const again = await runCliInProcess(['publish', tree, ...flags, '--json']);
  t.equal(again.code, 0, again.stderr);
  const unchanged = JSON.parse(again.stdout) as PublishResult;
  t.match(unchanged, { seq: 1, digest, unchanged: true, hashedFiles: 0, uploadedBlobs: 0, uploadedBytes: 0 }, 'nothing re-read, nothing uploaded');
  t.equal((await runCliInProcess(['publish', tree, ...flags])).stdout, `1 ${digest} unchanged\n`);

  writeFileSync(join(tree, 'index.php'), '<?php echo 2; // changed');
  const changed = await runCliInProcess(['publish', tree, ...flags, '--json']);
  t.equal(changed.code, 0, changed.stderr);
  const result = JSON.parse(changed.stdout) as PublishResult;
  t.match(result, { seq: 2, unchanged: false, files: 3, hashedFiles: 1, uploadedBlobs: 1, uploadedBytes: 24 }, 'only the changed file is hashed and uploaded');
  // The second release goes as a delta against the first (docs/api.md#publish): one body of this size.
  const deltaBody = { base: 1, baseDigest: digest, added: [], changed: [{ path: 'index.php', type: 'file', mode: 0o644, size: 24, sha256: sha256Hex('<?php echo 2; // changed') }], removed: [], meta: {} };
  t.equal(result.manifestForm, 'delta');
  t.equal(result.manifestBytes, Buffer.byteLength(JSON.stringify(deltaBody)), 'the changed blob went ahead of the manifest, so the manifest was posted once');
  const releases = await getJson<ReleaseSummary[]>(`${url}/v1/apps/demo/releases`);
  t.same(releases.map((r) => r.seq).sort(), [1, 2]);
});

t.test('many small files go in tar batches, a huge one alone; all arrive intact', async (t) => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 300; i++) files[`f${i}.txt`] = `file ${i}\n`.repeat(i);
  // Over UPLOAD_DEFAULTS.bigBlobBytes: sent with PUT /v1/blobs/:sha256 rather than in a tar.
  const huge = Buffer.alloc(17 * 1024 * 1024, 'h');
  const dir = t.testdir({ tree: { ...files, 'b1.bin': big, 'b2.bin': `${big}2`, 'huge.bin': huge } });
  const { url } = await unmeteredServer();
  const run = await runCliInProcess(['publish', join(dir, 'tree'), ...publishFlags(url, dir), '--json']);
  t.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as PublishResult;
  t.equal(result.uploadedBlobs, 303, 'every distinct blob once');
  const treeBytes = Object.values(files).reduce((n, content) => n + Buffer.byteLength(content), 0) + 2 * big.length + 1 + huge.length;
  t.equal(result.uploadedBytes, treeBytes, 'every byte once');
  const manifest = await getJson<ReleaseManifest>(`${url}/v1/apps/demo/releases/${result.seq}/manifest`);
  t.equal(manifest.entries.length, 303);
  const hugeBack = Buffer.from(await (await fetch(`${url}/v1/blobs/${sha256Hex(huge)}`)).arrayBuffer());
  t.ok(hugeBack.equals(huge), 'the huge blob sent alone is served back byte for byte');
  const blob = await fetch(`${url}/v1/blobs/${sha256Hex('file 7\n'.repeat(7))}`);
  t.equal(blob.status, 200);
  t.equal(await blob.text(), 'file 7\n'.repeat(7), 'a blob sent in a tar batch is served back byte for byte');
});

t.test('an escaping symlink is refused by the server before anything is uploaded', async (t) => {
  const dir = t.testdir({ tree: { 'a.txt': 'a', sub: {} } });
  symlinkSync('../../outside', join(dir, 'tree', 'sub', 'out'));
  const { url } = await unmeteredServer();
  const run = await runCliInProcess(['publish', join(dir, 'tree'), ...publishFlags(url, dir, 'escape')]);
  t.equal(run.code, 1);
  t.equal(run.stdout, '');
  t.match(run.stderr, /^codesync: INVALID_SYMLINK: symlink "sub\/out" -> "\.\.\/\.\.\/outside" resolves outside the tree/);
  const blob = await fetch(`${url}/v1/blobs/${sha256Hex('a')}`);
  t.equal(blob.status, 404, 'no blob reached the server');
});

t.test('usage errors exit 2, operation failures exit 1', async (t) => {
  const dir = t.testdir({ tree: { 'a.txt': 'a' } });
  const tree = join(dir, 'tree');
  const server = ['--server', 'http://127.0.0.1:9'];
  const usage: [string, string[]][] = [
    ['no --app', ['publish', tree, ...server]],
    ['no --server', ['publish', tree, '--app', 'demo']],
    ['no DIR', ['publish', ...server, '--app', 'demo']],
    ['bad app name', ['publish', tree, ...server, '--app', 'Demo_App']],
    ['bad --meta', ['publish', tree, ...server, '--app', 'demo', '--meta', 'novalue']],
    ['bad --concurrency', ['publish', tree, ...server, '--app', 'demo', '--concurrency', '0']],
    ['unknown flag', ['publish', tree, ...server, '--app', 'demo', '--bogus']],
    ['bad --server', ['publish', tree, '--server', 'ftp://x', '--app', 'demo']],
    ['missing DIR', ['publish', join(dir, 'nope'), ...server, '--app', 'demo']],
    ['--watch with rsync', ['publish', 'rsync://host/mod/path', ...server, '--app', 'demo', '--watch']],
    ['bad rollback --to', ['rollback', ...server, '--app', 'demo', '--to', 'x']],
  ];
  for (const [name, args] of usage) {
    const run = await runCliInProcess(args);
    t.equal(run.code, 2, `${name}: ${run.stderr.split('\n')[0]}`);
    t.match(run.stderr, /^codesync: USAGE: [^\n]+; see (codesync [a-z]+ )?--help\n$/, `${name}: one line pointing at --help, not the help itself`);
  }
  const unreachable = await runCliInProcess(['publish', tree, ...server, '--app', 'demo', '--cache', join(dir, 'c.json'), '--retry-timeout', '0']);
  t.equal(unreachable.code, 1);
  t.match(unreachable.stderr, /^codesync: SERVER_UNREACHABLE: cannot reach http:\/\/127\.0\.0\.1:9/);
  const envServer = await runCli(['status'], { env: { CODESYNC_SERVER: 'http://127.0.0.1:9' } });
  t.match(envServer, { code: 1, stderr: /SERVER_UNREACHABLE/ }, 'CODESYNC_SERVER stands in for --server');
  // The cases above ran in this process; the executable's own exit status, as a shell sees it.
  const viaBin = await runCli(['publish', tree, ...server, '--app', 'demo', '--bogus'], { entry: BIN });
  t.match(viaBin, { code: 2, stderr: /^codesync: USAGE: unknown option '--bogus'; see codesync publish --help\n$/ }, 'bin/codesync exits 2 on a usage error');
});
