import t from 'tap';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../helpers/codesync-process.js';
import { manifestSnapshot, publish, snapshot, startServer, tempDir } from '../agent/fixtures.js';
t.test('an up-to-date pull takes the quick check (sizes and modes), --verify re-hashes; neither warns', async (t) => {
    const server = await startServer(t);
    const src = tempDir(t);
    // Enough files that a check fanning out over them once tripped MaxListenersExceededWarning.
    for (let d = 0; d < 4; d++) {
        await mkdir(join(src, `d${d}`));
        for (let f = 0; f < 25; f++)
            await writeFile(join(src, `d${d}`, `f${f}.php`), `<?php echo ${d * 100 + f};\n`);
    }
    const seq = await publish(server.url, 'tool', src);
    const dest = join(tempDir(t), 'tool');
    const pull = (...extra) => runCli(['pull', '--server', server.url, '--app', 'tool', '--dest', dest, ...extra]);
    const first = await pull();
    t.equal(first.code, 0, first.stderr);
    t.equal(first.stderr, '', 'a fresh pull (hashed in full) prints no warning');
    // Same size, other bytes: only a hash can tell.
    const victim = join(dest, 'current', 'd0', 'f0.php');
    await writeFile(victim, '<?php echo 9;\n');
    const quick = await pull();
    t.match(quick, { code: 0, stdout: new RegExp(`^${seq} sha256:`), stderr: '' }, 'up to date: sizes and modes match, no file is read');
    t.equal(await readFile(victim, 'utf8'), '<?php echo 9;\n', 'the quick check did not hash');
    const verified = await pull('--verify');
    t.equal(verified.code, 0, verified.stderr);
    t.notMatch(verified.stderr, /MaxListenersExceededWarning/);
    t.same(await snapshot(join(dest, 'current')), await manifestSnapshot(server.url, 'tool', seq), '--verify found the changed bytes and rebuilt the tree');
});
//# sourceMappingURL=pull-up-to-date.test.js.map