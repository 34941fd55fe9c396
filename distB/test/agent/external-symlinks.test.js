import t from 'tap';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../helpers/codesync-process.js';
import { heldSeq, publish, snapshot, startAgent, startServer, tempDir, waitForSeq } from './fixtures.js';
// Issue 14's shared paths: an app that opts in gets its links to outside the tree installed as
// they are, by the agent and by `codesync pull`, full build and delta alike.
t.test('an opted-in app gets its external symlinks installed verbatim', async (t) => {
    const server = await startServer(t);
    const spec = await fetch(`${server.url}/v1/apps/laravel`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nodeSelector: '', externalSymlinks: 'allow' }) });
    t.equal(spec.status, 201);
    const src = tempDir(t);
    await mkdir(join(src, 'public'));
    await writeFile(join(src, 'index.php'), '<?php echo 1;\n');
    await symlink('/var/www/shared/storage', join(src, 'public', 'storage'));
    await symlink('../../shared/logs', join(src, 'logs'));
    const seq = await publish(server.url, 'laravel', src);
    const agent = await startAgent(t, server.url);
    await waitForSeq(agent, 'laravel', seq);
    const current = join(agent.root, 'apps/laravel/current');
    t.same(await snapshot(current), await snapshot(src), 'the tree, links verbatim');
    t.match(await snapshot(current), { 'public/storage': 'symlink /var/www/shared/storage', logs: 'symlink ../../shared/logs' });
    await writeFile(join(src, 'index.php'), '<?php echo 2;\n');
    const seq2 = await publish(server.url, 'laravel', src);
    await waitForSeq(agent, 'laravel', seq2);
    t.same(await snapshot(current), await snapshot(src), 'a delta over a tree holding them');
    t.equal(await heldSeq(agent.root, 'laravel'), seq2);
    const dest = tempDir(t);
    const pull = await runCli(['pull', '--server', server.url, '--app', 'laravel', '--dest', dest]);
    t.equal(pull.code, 0, `codesync pull: ${pull.stderr}`);
    t.same(await snapshot(join(dest, 'current')), await snapshot(src), 'codesync pull installs them too');
});
//# sourceMappingURL=external-symlinks.test.js.map