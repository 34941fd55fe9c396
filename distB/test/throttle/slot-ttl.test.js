import t from 'tap';
import { heldSeq, publish, startAgent, startServer, tempDir, waitFor, writeRandomTree } from './cluster.js';
// One slot, a 3 s ttl, and a bandwidth cap so the first agent's pull lasts long enough to kill it
// in the middle: its slot must come back after the ttl, never sooner, and the queue must move.
t.test('an agent killed while holding a slot: the slot is reclaimed after its ttl and the next agent completes', async (t) => {
    const server = await startServer(t, ['--max-concurrent-pulls', '1', '--slot-ttl', '3', '--max-bandwidth', '1MiB']);
    const src = tempDir(t, 'codesync-throttle-src-');
    await writeRandomTree(src, 8, 512 * 1024);
    const seq = await publish(server.url, 'web', src);
    const doomed = await startAgent(t, server.url, 'doomed');
    await server.proc.waitForLog((line) => line.msg === 'blob stream opened' && line.node === 'doomed');
    const survivor = await startAgent(t, server.url, 'survivor');
    await server.proc.waitForLog((line) => line.msg === 'pull slot queued' && line.node === 'survivor');
    t.equal(await heldSeq(doomed.root, 'web'), 0, 'the doomed agent is still pulling');
    const killedAt = Date.now();
    await doomed.proc.stop('SIGKILL');
    const expired = await server.proc.waitForLog((line) => line.msg === 'pull slot expired' && line.node === 'doomed');
    t.ok(Number(expired.time) - killedAt >= 2_500, 'the slot outlived its holder by about the ttl (3 s)');
    await waitFor('the survivor completes', async () => (await heldSeq(survivor.root, 'web')) === seq);
    const logs = server.proc.logs;
    const expiredAt = logs.indexOf(expired);
    const grantedAt = logs.findIndex((line) => line.msg === 'pull slot granted' && line.node === 'survivor');
    t.ok(grantedAt > expiredAt, 'the survivor was granted the reclaimed slot');
    t.notOk(logs.some((line) => line.msg === 'pull slot released' && line.node === 'doomed'), 'nobody gave the slot back: the ttl did');
});
//# sourceMappingURL=slot-ttl.test.js.map