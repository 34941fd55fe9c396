import t from 'tap';
import type { Test } from 'tap';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ReleaseManifest } from '../../protocol/api.js';
import type { PublishResult } from '../../cli/publish/publish-result.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { CLI } from '../helpers/codesync-process.js';
import { getJson, publishFlags, settleTimestamps, startServer } from './server-fixture.js';

// `codesync publish DIR --changed-from LIST` against a real server: the release it makes must be
// the tree a whole walk makes, for every kind of change a list can name.

const publish = async (t: Test, tree: string, flags: string[]): Promise<PublishResult & { stderr: string }> => {
  const run = await runCliInProcess(['publish', tree, ...flags, '--json']);
  t.equal(run.code, 0, run.stderr);
  return { ...(JSON.parse(run.stdout) as PublishResult), stderr: run.stderr };
};

/** The listed publish's tree, checked against a whole walk of the same directory from a cache of its own. */
async function assertSameAsWalk(t: Test, url: string, tree: string, dir: string, listed: PublishResult): Promise<void> {
  const walked = await publish(t, tree, publishFlags(url, join(dir, `walk-${listed.seq}`)));
  t.match(walked, { seq: listed.seq, digest: listed.digest, unchanged: true, listed: false }, 'a whole walk of the directory finds the tree the list published');
}

t.test('a listed change publishes the tree a whole walk would, from one lstat and one hash per listed path', async (t) => {
  const dir = t.testdir({ data: {}, tree: { 'index.php': 'v1', lib: { 'a.php': 'a', 'b.php': 'b', deep: { 'c.php': 'c' } }, old: { 'x.php': 'x' } } });
  const tree = join(dir, 'tree');
  const { url } = await startServer(t, join(dir, 'data'));
  const flags = publishFlags(url, join(dir, 'cache'));
  const list = join(dir, 'changed.txt');
  await settleTimestamps();
  t.match(await publish(t, tree, flags), { seq: 1, listed: false });

  // A file changed, one added in new directories, a directory removed with all it held, a link added.
  writeFileSync(join(tree, 'index.php'), 'v2');
  mkdirSync(join(tree, 'new', 'sub'), { recursive: true });
  writeFileSync(join(tree, 'new', 'sub', 'n.php'), 'n');
  rmSync(join(tree, 'old'), { recursive: true });
  symlinkSync('lib/a.php', join(tree, 'alias.php'));
  writeFileSync(list, './index.php\nnew/sub/n.php\r\nold/x.php\n\nalias.php\n');
  const listed = await publish(t, tree, [...flags, '--changed-from', list]);
  t.match(listed, { seq: 2, listed: true, manifestForm: 'delta', hashedFiles: 2, uploadedBlobs: 2, unchanged: false, files: 5 });
  const stored = await getJson<ReleaseManifest>(`${url}/v1/apps/demo/releases/2/manifest`);
  t.same(
    stored.entries.map((entry) => `${entry.type} ${entry.path}`),
    ['symlink alias.php', 'file index.php', 'dir lib', 'file lib/a.php', 'file lib/b.php', 'dir lib/deep', 'file lib/deep/c.php', 'dir new', 'dir new/sub', 'file new/sub/n.php'],
    'old/ and everything in it left the release; new/ and new/sub/ came with the file in them',
  );
  await assertSameAsWalk(t, url, tree, dir, listed);

  // A directory replaced by a file, and a file's mode changed (same bytes: nothing to upload).
  rmSync(join(tree, 'lib', 'deep'), { recursive: true });
  writeFileSync(join(tree, 'lib', 'deep'), 'now a file');
  chmodSync(join(tree, 'lib', 'b.php'), 0o755);
  writeFileSync(list, 'lib/deep\nlib/b.php\n');
  const replaced = await publish(t, tree, [...flags, '--changed-from', list]);
  t.match(replaced, { seq: 3, listed: true, hashedFiles: 2 });
  const third = await getJson<ReleaseManifest>(`${url}/v1/apps/demo/releases/3/manifest`);
  t.notOk(third.entries.some((entry) => entry.path.startsWith('lib/deep/')), 'what lay under the directory is gone');
  t.match(third.entries.find((entry) => entry.path === 'lib/b.php'), { mode: 0o755 });
  await assertSameAsWalk(t, url, tree, dir, replaced);

  // Nothing listed changed: the same tree, nothing published.
  writeFileSync(list, 'index.php\n');
  t.match(await publish(t, tree, [...flags, '--changed-from', list]), { seq: 3, unchanged: true, listed: true, uploadedBlobs: 0 });
});

t.test('what the list cannot tell is walked, with the reason on stderr', async (t) => {
  const dir = t.testdir({ data: {}, tree: { 'index.php': 'v1', lib: { 'a.php': 'a' }, '.codesyncignore': 'secret/\n' } });
  const tree = join(dir, 'tree');
  const { url } = await startServer(t, join(dir, 'data'));
  const flags = publishFlags(url, join(dir, 'cache'));
  const list = join(dir, 'changed.txt');
  await settleTimestamps();

  writeFileSync(list, 'index.php\n');
  const first = await publish(t, tree, [...flags, '--changed-from', list]);
  t.match(first, { seq: 1, listed: false }, 'nothing published from here yet');
  t.match(first.stderr, /--changed-from not used, the whole tree is walked: no release was published from this directory/);

  writeFileSync(join(tree, 'lib', 'b.php'), 'b');
  writeFileSync(list, 'lib\n');
  const dirListed = await publish(t, tree, [...flags, '--changed-from', list]);
  t.match(dirListed, { seq: 2, listed: false, files: 3 }, 'a listed directory: its new file is found by the walk');
  t.match(dirListed.stderr, /"lib" is a directory/);

  writeFileSync(join(tree, '.codesyncignore'), 'lib/\n');
  writeFileSync(list, '.codesyncignore\n');
  const ignoreListed = await publish(t, tree, [...flags, '--changed-from', list]);
  t.match(ignoreListed, { seq: 3, listed: false, files: 1 }, 'the ignore file changed what every path means');

  // Another checkout published since: what changed from its tree is not in this list.
  const other = join(dir, 'other');
  mkdirSync(other);
  writeFileSync(join(other, 'index.php'), 'from elsewhere');
  t.match(await publish(t, other, publishFlags(url, join(dir, 'other-cache'))), { seq: 4 });
  writeFileSync(list, 'index.php\n');
  const afterOther = await publish(t, tree, [...flags, '--changed-from', list]);
  t.match(afterOther, { seq: 5, listed: false, files: 1 }, 'the whole tree went, not the other tree with index.php changed');
  t.match(afterOther.stderr, /the app's latest release is seq 4, not seq 3, the last published from here/);

  // Paths relative to the repository's root where DIR is a subdirectory: found nowhere.
  writeFileSync(join(tree, 'index.php'), 'v4');
  writeFileSync(list, 'tree/index.php\n');
  const misplaced = await publish(t, tree, [...flags, '--changed-from', list]);
  t.match(misplaced, { seq: 6, listed: false }, 'the change the list misnamed is published by the walk');
  t.match(misplaced.stderr, /"tree\/index\.php" is neither in .* nor in the last published tree: are the listed paths relative to the published directory\?/);

  // An excluded path counts as absent, as the walk leaves it out.
  mkdirSync(join(tree, 'lib', 'more'));
  writeFileSync(join(tree, 'lib', 'more', 'c.php'), 'c');
  writeFileSync(list, 'lib/more/c.php\n');
  t.match(await publish(t, tree, [...flags, '--changed-from', list]), { seq: 6, unchanged: true, listed: true, hashedFiles: 0 });
});

t.test('a list naming paths outside the tree, or quoted by git, is refused before anything is read', async (t) => {
  const dir = t.testdir({ data: {}, tree: { 'index.php': 'v1' } });
  const { url } = await startServer(t, join(dir, 'data'));
  const flags = publishFlags(url, join(dir, 'cache'));
  const list = join(dir, 'changed.txt');
  for (const [content, message] of [
    ['../etc/passwd\n', /--changed-from: path "\.\.\/etc\/passwd"/],
    ['/etc/passwd\n', /--changed-from: path "\/etc\/passwd"/],
    ['"caf\\303\\251.php"\n', /looks quoted by git; list NUL-separated paths instead/],
  ] as const) {
    writeFileSync(list, content);
    const run = await runCliInProcess(['publish', join(dir, 'tree'), ...flags, '--changed-from', list]);
    t.equal(run.code, 2, `${JSON.stringify(content)} is a usage error`);
    t.match(run.stderr, message);
  }
  writeFileSync(list, 'index.php\n');
  const notDir = await runCliInProcess(['publish', join(dir, 'tree', 'index.php'), ...flags, '--changed-from', list]);
  t.equal(notDir.code, 2, 'DIR a file is a usage error, as without a list');
  t.match(notDir.stderr, /cannot publish ".*index\.php": not a directory/);
  const missing = await runCliInProcess(['publish', join(dir, 'tree'), ...flags, '--changed-from', join(dir, 'nope')]);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /--changed-from: cannot read/);
  const releases = await getJson<{ releases: unknown[] }>(`${url}/v1/apps/demo/releases`).catch(() => ({ releases: [] }));
  t.same(releases.releases ?? [], [], 'nothing was published');
});

t.test('the list comes from stdin with -, NUL-separated as git diff -z writes it', async (t) => {
  const dir = t.testdir({ data: {}, tree: { 'index.php': 'v1', 'tab\there.php': 't1' } });
  const tree = join(dir, 'tree');
  const { url } = await startServer(t, join(dir, 'data'));
  const flags = publishFlags(url, join(dir, 'cache'));
  await settleTimestamps();
  t.match(await publish(t, tree, flags), { seq: 1 });
  writeFileSync(join(tree, 'tab\there.php'), 't2');
  const child = promisify(execFile)(process.execPath, [CLI, 'publish', tree, ...flags, '--changed-from', '-', '--json'], { env: { ...process.env, NODE_OPTIONS: '' } });
  child.child.stdin?.end('tab\there.php\0');
  const result = JSON.parse((await child).stdout) as PublishResult;
  t.match(result, { seq: 2, listed: true, hashedFiles: 1 });
  await assertSameAsWalk(t, url, tree, dir, result);
});
