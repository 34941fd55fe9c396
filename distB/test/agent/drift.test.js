import t from 'tap';
import { chmod, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { manifestSnapshot, metric, publish, snapshot, startAgent, startServer, tempDir, waitFor, waitForSeq } from './fixtures.js';
t.test('files modified, deleted or added under current are restored by the verify pass', async (t) => {
    const server = await startServer(t);
    const src = tempDir(t);
    await writeFile(join(src, 'a.php'), 'original a\n');
    await writeFile(join(src, 'b.php'), 'original b\n');
    await writeFile(join(src, 'c.php'), 'original c\n');
    await writeFile(join(src, 'd.php'), 'original d\n');
    const seq = await publish(server.url, 'site', src);
    const agent = await startAgent(t, server.url, { args: ['--verify-interval', '1s'] });
    await waitForSeq(agent, 'site', seq);
    const current = join(agent.root, 'apps/site/current');
    const want = await manifestSnapshot(server.url, 'site', seq);
    t.same(await snapshot(current), want);
    // In place: the same inode as the cache object, so the object is damaged too.
    await writeFile(join(current, 'a.php'), 'hacked a\n');
    await rm(join(current, 'b.php'));
    await chmod(join(current, 'c.php'), 0o600);
    await writeFile(join(current, 'evil.php'), '<?php system($_GET["c"]);\n');
    // On a timeout, the agent's last log lines say which step of the repair it was in.
    const detail = () => agent.proc.logs.slice(-30).map((line) => JSON.stringify(line)).join('\n');
    await waitFor('a drift repair', async () => (await metric(agent.url, 'codesync_agent_drift_repairs_total', { app: 'site' })) >= 4, undefined, { detail });
    await waitFor('current restored', async () => JSON.stringify(await snapshot(current)) === JSON.stringify(want));
    t.same(await snapshot(current), want, 'current matches its manifest again');
    // The damaged object was re-fetched, not relinked: a new release reusing that content is right.
    await writeFile(join(src, 'copy-of-a.php'), 'original a\n');
    const seq2 = await publish(server.url, 'site', src);
    await waitForSeq(agent, 'site', seq2);
    t.same(await snapshot(current), await manifestSnapshot(server.url, 'site', seq2), 'the next release is whole');
});
//# sourceMappingURL=drift.test.js.map