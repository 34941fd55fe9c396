import t from 'tap';
import { readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { publish, startAgent, startServer, tempDir, waitForSeq } from './fixtures.js';
const stateOf = async (root) => JSON.parse(await readFile(join(root, 'apps/site/state.json'), 'utf8'));
t.test('a restart finding state.json behind current (a crash between the switch and its write) rewrites it', async (t) => {
    const server = await startServer(t);
    const src = tempDir(t);
    await writeFile(join(src, 'index.php'), 'one\n');
    await publish(server.url, 'site', src);
    const first = await startAgent(t, server.url);
    const root = first.root;
    await waitForSeq(root, 'site', 1);
    const before = await readFile(join(root, 'apps/site/state.json'));
    await writeFile(join(src, 'index.php'), 'two\n');
    await publish(server.url, 'site', src);
    await waitForSeq(root, 'site', 2);
    const switched = await stateOf(root);
    await first.proc.stop('SIGKILL');
    // What a kill right after the switch leaves: current on release 2, state.json still on 1.
    await writeFile(join(root, 'apps/site/state.json'), before);
    t.equal(await readlink(join(root, 'apps/site/current')), 'releases/2');
    await startAgent(t, server.url, { root });
    await waitForSeq(root, 'site', 2);
    const rewritten = await stateOf(root);
    t.equal(rewritten.seq, 2, 'state.json names the release current serves');
    t.equal(rewritten.digest, switched.digest, 'with its digest');
    t.ok(Date.parse(rewritten.activatedAt) >= Date.parse(switched.activatedAt), 'and the restart time as the switch time');
    t.equal(await readFile(join(root, 'apps/site/current/index.php'), 'utf8'), 'two\n', 'current still serves release 2');
});
//# sourceMappingURL=stale-state.test.js.map