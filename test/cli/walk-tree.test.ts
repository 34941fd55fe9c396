import t from 'tap';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { TreeNode } from '../../cli/publish/tree-node.js';
import { walkTree } from '../../cli/publish/walk-tree.js';
import { comparePathBytes } from '../../protocol/paths.js';

const signal = new AbortController().signal;

function literal(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

function summary(nodes: TreeNode[]): string[] {
  return nodes.map((node) => `${node.type} ${node.mode.toString(8)} ${node.path}${node.type === 'symlink' ? ` -> ${node.target}` : ''}`);
}

t.test('normalises modes like git, keeps empty dirs and inner symlinks, sorts by path bytes', async (t) => {
  const dir = t.testdir({ 'run.sh': '#!/bin/sh\n', 'private.txt': 'x', lib: { 'a.php': '<?php', empty: {} }, 'Z.txt': 'z', 'é.txt': 'e' });
  chmodSync(join(dir, 'run.sh'), 0o700);
  chmodSync(join(dir, 'private.txt'), 0o600);
  chmodSync(join(dir, 'lib'), 0o700);
  symlinkSync('lib/a.php', join(dir, 'index.php'));
  symlinkSync('../Z.txt', join(dir, 'lib', 'z'));
  const tree = await walkTree(dir, signal);
  t.same(summary(tree.nodes), [
    'file 644 Z.txt',
    'symlink 777 index.php -> lib/a.php',
    'dir 755 lib',
    'file 644 lib/a.php',
    'dir 755 lib/empty',
    'symlink 777 lib/z -> ../Z.txt',
    'file 644 private.txt',
    'file 755 run.sh',
    'file 644 é.txt',
  ]);
  const file = tree.nodes.find((node) => node.path === 'lib/a.php');
  t.equal(file?.type === 'file' && tree.identities.size(file.identity), 5, 'size comes from lstat');
});

t.test('the order is by path bytes across directories: a sibling may sort between a directory and what lies below it', async (t) => {
  // '!' '-' '.' sort before '/', '0' after it: "a.txt" comes between "a" and "a/b"; UTF-8 byte
  // order puts 'ｚ' (U+FF5A) before '😀' (U+1F600), which UTF-16 order would not.
  const dir = t.testdir({
    a: { b: { c: 'c' }, x: 'x' },
    'a!': '!',
    'a-b': '-',
    'a.d': { z: 'z', 'z.txt': 'z' },
    'a.txt': '.',
    a0: '0',
    'é': 'e',
    'ｚ': { q: 'q' },
    '😀': 'smile',
  });
  const paths = (await walkTree(dir, signal)).nodes.map((node) => node.path);
  t.same(paths, [...paths].sort(comparePathBytes), 'sorted as the manifest sorts');
  t.same(paths.slice(0, 10), ['a', 'a!', 'a-b', 'a.d', 'a.d/z', 'a.d/z.txt', 'a.txt', 'a/b', 'a/b/c', 'a/x']);
  t.equal(paths.length, 15);
});

t.test('a symlinked DIR is resolved to its real path; links below it are not followed', async (t) => {
  const base = t.testdir({ real: { 'a.txt': 'a' }, elsewhere: { 'b.txt': 'b' } });
  symlinkSync(join(base, 'real'), join(base, 'alias'));
  symlinkSync('../elsewhere', join(base, 'real', 'out'));
  t.same(summary((await walkTree(join(base, 'alias'), signal)).nodes), ['file 644 a.txt', 'symlink 777 out -> ../elsewhere'], 'the link is kept, not followed');
});

t.test('links leaving the tree are kept verbatim: the server decides (the app may allow them)', async (t) => {
  const dir = t.testdir({ sub: {} });
  symlinkSync('../../etc/passwd', join(dir, 'sub', 'passwd'));
  symlinkSync('/etc/hostname', join(dir, 'host'));
  t.same(summary((await walkTree(dir, signal)).nodes), ['symlink 777 host -> /etc/hostname', 'dir 755 sub', 'symlink 777 sub/passwd -> ../../etc/passwd']);
});

t.test('fifos and sockets are refused with the path named', async (t) => {
  const withFifo = t.testdir({ ok: 'x' });
  execFileSync('mkfifo', [join(withFifo, 'pipe')]);
  await t.rejects(walkTree(withFifo, signal), { code: 'UNSUPPORTED_FILE_TYPE', message: literal(`${join(withFifo, 'pipe')}" is a fifo`) });

  // Socket paths are limited to 107 bytes: the fixture dir is too deep for one.
  const withSocket = mkdtempSync(join(tmpdir(), 'cs-walk-'));
  t.teardown(() => rmSync(withSocket, { recursive: true, force: true }));
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(join(withSocket, 'app.sock'), resolve));
  t.teardown(() => server.close());
  await t.rejects(walkTree(withSocket, signal), { code: 'UNSUPPORTED_FILE_TYPE', message: /app\.sock" is a socket/ });
});

t.test('a file name that is not UTF-8 is refused rather than renamed', async (t) => {
  const dir = t.testdir({});
  writeFileSync(Buffer.concat([Buffer.from(`${dir}/bad-`), Buffer.from([0xff, 0xfe])]), 'x');
  await t.rejects(walkTree(dir, signal), { code: 'INVALID_PATH', message: /not valid UTF-8/ });
});

t.test('a name that holds U+FFFD as valid UTF-8 is kept', async (t) => {
  const dir = t.testdir({ 'x\uFFFD.txt': 'x', sub: { '\uFFFD': 'y' } });
  t.same(summary((await walkTree(dir, signal)).nodes), ['dir 755 sub', 'file 644 sub/\uFFFD', 'file 644 x\uFFFD.txt']);
});

t.test('a missing DIR or a file is a usage error', async (t) => {
  const dir = t.testdir({ file: 'x' });
  await t.rejects(walkTree(join(dir, 'nope'), signal), { code: 'USAGE', message: /no such directory/ });
  await t.rejects(walkTree(join(dir, 'file'), signal), { code: 'USAGE', message: /not a directory/ });
  mkdirSync(join(dir, 'd'));
  t.same((await walkTree(join(dir, 'd'), signal)).nodes, [], 'an empty tree walks to no entries');
});

t.test('a walk whose lstats a helper thread shares gives the same nodes as one that does them alone', async (t) => {
  const dir = t.testdir({ a: {}, b: {}, c: {} });
  for (const sub of ['a', 'b', 'c']) for (let i = 0; i < 700; i++) writeFileSync(join(dir, sub, `f${i}.txt`), `${sub}${i}`);
  chmodSync(join(dir, 'b', 'f3.txt'), 0o700);
  symlinkSync('a/f1.txt', join(dir, 'link'));
  const alone = await walkTree(dir, signal, [], { helperMinFiles: Infinity });
  const helped = await walkTree(dir, signal, [], { helperMinFiles: 1 });
  t.equal(helped.nodes.length, 2104);
  t.same(helped.nodes, alone.nodes, 'paths, modes and identity slots alike');
  t.same(helped.identities.values, alone.identities.values, 'identities alike');
  // A tree the caller knows is big: the helper starts with the walk, before 30 000 files are listed.
  const early = await walkTree(dir, signal, [], { expectedFiles: () => 1_000_000 });
  t.same(early.nodes, alone.nodes, 'a helper started with the walk: the same nodes');
  t.same(early.identities.values, alone.identities.values, 'and identities');
  t.equal(summary(helped.nodes).find((line) => line.endsWith('b/f3.txt')), 'file 755 b/f3.txt');
});
