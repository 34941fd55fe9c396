import t from 'tap';
import { createHash } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { heldSeq, manifestSnapshot, metric, publish, snapshot, startAgent, startServer, tempDir, waitFor, waitForSeq } from './fixtures.js';
t.test('a blob tampered with in the server store is refused; the previous release keeps serving', async (t) => {
    const server = await startServer(t);
    const src = tempDir(t);
    await writeFile(join(src, 'index.php'), '<?php echo "v1";\n');
    const seq1 = await publish(server.url, 'shop', src);
    const first = await startAgent(t, server.url);
    await waitForSeq(first, 'shop', seq1);
    await first.proc.stop();
    const content = '<?php echo "v2";\n';
    await writeFile(join(src, 'index.php'), content);
    const seq2 = await publish(server.url, 'shop', src);
    const sha = createHash('sha256').update(content).digest('hex');
    const blob = join(server.data, 'blobs/sha256', sha.slice(0, 2), sha);
    await chmod(blob, 0o644);
    await writeFile(blob, '<?php echo "XX";\n');
    const agent = await startAgent(t, server.url, { root: first.root });
    await waitFor('a CHECKSUM_MISMATCH failure', async () => (await metric(agent.url, 'codesync_agent_sync_failures_total', { app: 'shop', reason: 'CHECKSUM_MISMATCH' })) >= 1);
    t.equal(await heldSeq(agent.root, 'shop'), seq1, 'the previous release stays current');
    t.same(await snapshot(join(agent.root, 'apps/shop/current')), await manifestSnapshot(server.url, 'shop', seq1), 'current still matches the previous release');
    t.ok(agent.proc.logs.some((line) => line.msg?.includes('sync failed') && JSON.stringify(line).includes('CHECKSUM_MISMATCH')), 'the refusal is logged');
    t.not(seq2, seq1);
});
//# sourceMappingURL=tamper.test.js.map