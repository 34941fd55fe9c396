import t from 'tap';
import { join } from 'node:path';
import { CodesyncProcess, runCli } from '../helpers/codesync-process.js';
import { waitFor } from '../agent/fixtures.js';
import { startServer } from './server-fixture.js';

t.test('publish rides out a server restart: connection refused is retried with backoff until --retry-timeout', async (t) => {
  const dir = t.testdir({ data: {}, tree: { 'index.php': '<?php echo 1;' } });
  const first = await startServer(t, join(dir, 'data'));
  const url = first.url;
  t.equal((await runCli(['apps', 'create', 'demo', '--server', url, '--selector', ''])).code, 0);
  await first.server.stop();

  // The server is down when the CI job starts publishing.
  const publish = new CodesyncProcess(['publish', join(dir, 'tree'), '--server', url, '--app', 'demo', '--cache', join(dir, 'c.json'), '--json', '--retry-timeout', '2m'], {
    env: { CODESYNC_PROGRESS: 'plain' },
  });
  t.teardown(() => publish.stop('SIGKILL'));
  await waitFor('a retry notice', async () => publish.stderr.some((line) => /SERVER_UNREACHABLE|cannot reach/.test(line) && /retrying in \d+\.\d s$/.test(line)));
  await startServer(t, join(dir, 'data'), ['--listen', new URL(url).host]);
  const published = await publish.waitForLog((line) => typeof line.seq === 'number');
  t.match(published, { seq: 1, unchanged: false });
  t.same(await publish.exited, { code: 0, signal: null }, 'the job succeeds once the server is back');

  const giveUp = await runCli(['publish', join(dir, 'tree'), '--server', 'http://127.0.0.1:9', '--app', 'demo', '--cache', join(dir, 'c.json'), '--retry-timeout', '1s']);
  t.match(giveUp, { code: 1, stderr: /^codesync: SERVER_UNREACHABLE: cannot reach http:\/\/127\.0\.0\.1:9/ }, 'past --retry-timeout the error is reported');
});
