import t from 'tap';
import { chmod, mkdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { manifestSnapshot, metric, publish, snapshot, startAgent, startServer, tempDir, waitForSeq, writeTree } from './fixtures.js';
t.test('a 1 200-file tree: each agent matches it byte for byte and mode for mode; only changed blobs cross the wire', async (t) => {
    const server = await startServer(t);
    const src = tempDir(t);
    // More files than one batch of the tree builder's metadata work (agent/sync/tree-builder.ts, 1 000).
    await writeTree(src, 1200, (i) => `file ${i}\n`.repeat(20));
    await writeFile(join(src, 'run.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
    const seq1 = await publish(server.url, 'big', src);
    const agents = await Promise.all([startAgent(t, server.url, { node: 'n1' }), startAgent(t, server.url, { node: 'n2' })]);
    for (const agent of agents) {
        await waitForSeq(agent, 'big', seq1);
        t.same(await snapshot(join(agent.root, 'apps/big/current')), await snapshot(src), 'first install matches the source tree');
    }
    const before = await Promise.all(agents.map((agent) => metric(agent.url, 'codesync_agent_fetched_bytes_total', { app: 'big' })));
    const changed = ['d0/e0/f0.txt', 'd1/e1/f1.txt', 'd2/e2/f2.txt'];
    let changedBytes = 0;
    for (const [n, path] of changed.entries()) {
        const content = `changed ${n}\n`.repeat(10 + n);
        changedBytes += Buffer.byteLength(content);
        await writeFile(join(src, path), content);
    }
    await rm(join(src, 'd3/e3/f3.txt'));
    await rm(join(src, 'd4/e4/f4.txt'));
    await symlink('../d0/e0/f0.txt', join(src, 'd5/link.txt'));
    await mkdir(join(src, 'empty'));
    // publish keeps modes as git does (0755 with any exec bit, else 0644): flip both ways.
    await chmod(join(src, 'run.sh'), 0o644);
    await chmod(join(src, 'd6/e6/f6.txt'), 0o755);
    const seq2 = await publish(server.url, 'big', src);
    for (const [n, agent] of agents.entries()) {
        await waitForSeq(agent, 'big', seq2);
        const current = join(agent.root, 'apps/big/current');
        t.same(await snapshot(current), await snapshot(src), `agent ${n + 1} matches the new source tree`);
        t.same(await snapshot(current), await manifestSnapshot(server.url, 'big', seq2), `agent ${n + 1} matches the published manifest`);
        t.equal((await stat(join(current, 'empty'))).isDirectory(), true);
        const fetched = (await metric(agent.url, 'codesync_agent_fetched_bytes_total', { app: 'big' })) - before[n];
        t.equal(fetched, changedBytes, `agent ${n + 1} fetched only the changed blobs (${fetched} bytes)`);
    }
});
//# sourceMappingURL=delta.test.js.map