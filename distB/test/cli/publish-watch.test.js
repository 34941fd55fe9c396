import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CodesyncProcess } from '../helpers/codesync-process.js';
import { publishFlags, startServer } from './server-fixture.js';
t.test('--watch publishes, republishes once changes settle, and stops cleanly on Ctrl-C', async (t) => {
    const dir = t.testdir({ data: {}, tree: { 'a.txt': 'one' } });
    const tree = join(dir, 'tree');
    const { url } = await startServer(t, join(dir, 'data'));
    // --json makes each publish one JSON line on stdout, which CodesyncProcess parses as it comes.
    const watcher = new CodesyncProcess(['publish', tree, ...publishFlags(url, dir), '--watch', '--debounce', '300', '--json']);
    t.teardown(() => watcher.stop('SIGKILL'));
    const first = await watcher.waitForLog((line) => line.seq === 1);
    t.match(first, { unchanged: false, uploadedBlobs: 1 });
    writeFileSync(join(tree, 'a.txt'), 'two');
    writeFileSync(join(tree, 'b.txt'), 'three');
    const second = await watcher.waitForLog((line) => line.files === 2 && line.unchanged === false);
    t.ok(second.seq >= 2, 'the changes are published as a new release');
    writeFileSync(join(tree, 'c.txt'), 'four');
    const third = await watcher.waitForLog((line) => line.files === 3 && line.unchanged === false);
    t.ok(third.seq > second.seq);
    watcher.child.kill('SIGINT');
    const exit = await watcher.exited;
    t.same(exit, { code: 0, signal: null }, 'Ctrl-C ends the watch with exit 0');
    t.notOk(watcher.logs.some((line) => typeof line.seq === 'number' && line.seq > third.seq), 'no release without a change');
    t.same(watcher.stderr.filter((line) => line.startsWith('codesync:')), [], 'no error printed');
});
//# sourceMappingURL=publish-watch.test.js.map