import t from 'tap';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CodesyncProcess } from '../helpers/codesync-process.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { getJson, publishFlags, startServer } from './server-fixture.js';
const treeFiles = {
    'index.php': '<?php echo 1;',
    '.env': 'DB_PASSWORD=secret',
    '.codesyncignore': '# build leftovers\nlogs/\n*.log\n!keep.log\n',
    'keep.log': 'kept by the negation',
    'debug.log': 'dropped',
    logs: { 'app.log': 'dropped with its dir' },
    node_modules: { x: { 'y.js': 'dropped by --exclude' } },
    src: { 'a.php': 'a', 'a.php.tmp': 'an editor swap file' },
};
t.test('--exclude and .codesyncignore keep paths out of a publish (gitignore syntax)', async (t) => {
    const dir = t.testdir({ data: {}, tree: treeFiles });
    const tree = join(dir, 'tree');
    // A fifo would be refused (UNSUPPORTED_FILE_TYPE); inside an excluded dir it is never looked at.
    execFileSync('mkfifo', [join(tree, 'logs', 'pipe')]);
    const { url } = await startServer(t, join(dir, 'data'));
    const run = await runCliInProcess(['publish', tree, ...publishFlags(url, dir), '--exclude', '.env', '--exclude', 'node_modules/', '--exclude', '*.tmp']);
    t.equal(run.code, 0, run.stderr);
    const manifest = await getJson(`${url}/v1/apps/demo/releases/1/manifest`);
    t.same(manifest.entries.map((entry) => entry.path), ['index.php', 'keep.log', 'src', 'src/a.php'], 'excluded paths, the ignore file and what lies under excluded dirs are left out');
});
t.test('--watch does not publish for changes to excluded paths', async (t) => {
    const dir = t.testdir({ data: {}, tree: treeFiles });
    const tree = join(dir, 'tree');
    const { url } = await startServer(t, join(dir, 'data'));
    const watcher = new CodesyncProcess(['publish', tree, ...publishFlags(url, dir), '--watch', '--debounce', '200', '--json', '--exclude', '*.tmp', '--exclude', 'node_modules/', '--exclude', '.env']);
    t.teardown(() => watcher.stop('SIGKILL'));
    t.match(await watcher.waitForLog((line) => line.seq === 1), { files: 3 });
    writeFileSync(join(tree, 'src', 'b.php.tmp'), 'swap');
    writeFileSync(join(tree, 'logs', 'app.log'), 'more log');
    writeFileSync(join(tree, 'debug.log'), 'more debug');
    writeFileSync(join(tree, 'node_modules', 'x', 'y.js'), 'rebuilt');
    writeFileSync(join(tree, 'src', 'a.php'), 'a changed');
    const second = await watcher.waitForLog((line) => line.seq === 2);
    t.match(second, { files: 3, unchanged: false }, 'the one real change is published');
    // Made ignored mid-watch: .codesyncignore is read again when it changes.
    writeFileSync(join(tree, '.codesyncignore'), `${treeFiles['.codesyncignore']}src/\n`);
    const third = await watcher.waitForLog((line) => line.seq === 3);
    t.match(third, { files: 2 }, 'src/ left the release once the ignore file named it');
    writeFileSync(join(tree, 'src', 'a.php'), 'ignored now');
    writeFileSync(join(tree, 'index.php'), '<?php echo 4;');
    t.match(await watcher.waitForLog((line) => line.seq === 4), { files: 2 });
    watcher.child.kill('SIGINT');
    t.same(await watcher.exited, { code: 0, signal: null });
    t.notOk(watcher.logs.some((line) => line.unchanged === true), 'no publish ran for a change to an excluded path');
});
//# sourceMappingURL=exclude.test.js.map