import t from 'tap';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodesyncProcess, runCli } from '../helpers/codesync-process.js';
import { manifestSnapshot, publish, snapshot, startServer, tempDir } from './fixtures.js';

const EXAMPLE = fileURLToPath(new URL('../../../example/hello/', import.meta.url));

t.test('codesync up serves the bundled example through a local agent', async (t) => {
  const data = tempDir(t);
  const up = new CodesyncProcess(['up', '--data', data, '--listen', '127.0.0.1:0', '--agent-listen', '127.0.0.1:0'], { env: { CODESYNC_LOG_LEVEL: 'info' } });
  t.teardown(() => up.stop('SIGKILL'));
  const url = await up.ready();
  await up.waitForLog((line) => typeof line.msg === 'string' && line.msg.includes('is live in'));
  const current = join(data, 'agent/apps/hello/current');
  t.equal(await readFile(join(current, 'index.php'), 'utf8'), await readFile(join(EXAMPLE, 'index.php'), 'utf8'), 'the example tree is live');
  t.same(await snapshot(current), await manifestSnapshot(url, 'hello', 1));
  const wait = await runCli(['wait', '--app', 'hello', '--socket', join(data, 'codesync.sock'), '--timeout', '10']);
  t.equal(wait.code, 0, `the agent's reload socket answers: ${wait.stderr}`);
  t.match(wait.stdout, /apps\/hello\/current/);
  const { code } = await up.stop('SIGINT');
  t.equal(code, 0, 'Ctrl-C stops it cleanly');
});

t.test('codesync pull fills DEST once, verified, and updates it on a second run', async (t) => {
  const server = await startServer(t);
  const src = tempDir(t);
  await writeFile(join(src, 'a.txt'), 'one\n');
  const seq1 = await publish(server.url, 'tool', src);
  const dest = join(tempDir(t), 'tool');
  const first = await runCli(['pull', '--server', server.url, '--app', 'tool', '--dest', dest]);
  t.equal(first.code, 0, first.stderr);
  t.match(first.stdout, new RegExp(`^${seq1} sha256:[0-9a-f]{64} .*/current\\n$`));
  t.same(await snapshot(join(dest, 'current')), await manifestSnapshot(server.url, 'tool', seq1));

  await writeFile(join(src, 'a.txt'), 'two\n');
  const seq2 = await publish(server.url, 'tool', src);
  const second = await runCli(['pull', '--server', server.url, '--app', 'tool', '--dest', dest]);
  t.equal(second.code, 0, second.stderr);
  t.same(await snapshot(join(dest, 'current')), await manifestSnapshot(server.url, 'tool', seq2));

  const pinned = await runCli(['pull', '--server', server.url, '--app', 'tool', '--dest', dest, '--seq', String(seq1)]);
  t.equal(pinned.code, 0, pinned.stderr);
  t.equal(await readFile(join(dest, 'current/a.txt'), 'utf8'), 'one\n', '--seq pulls an older release');

  const missing = await runCli(['pull', '--server', server.url, '--app', 'nope', '--dest', join(dest, '..', 'nope')]);
  t.equal(missing.code, 1);
  t.match(missing.stderr, /APP_NOT_FOUND/);
});
