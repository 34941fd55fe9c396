import t from 'tap';
import { heldSeq, holdSlots, publish, serverMetric, startAgent, startServer, tempDir, waitFor, waitInLine, writeRandomTree } from './cluster.js';
const AGENTS = 8;
t.test('a server restart while agents wait in line: they reconnect and all complete', async (t) => {
    const first = await startServer(t, ['--max-concurrent-pulls', '2']);
    const src = tempDir(t, 'codesync-throttle-src-');
    await writeRandomTree(src, 8, 64 * 1024);
    const seq = await publish(first.url, 'web', src);
    await holdSlots(first.url, 2, 'web');
    const agents = await Promise.all(Array.from({ length: AGENTS }, (_, i) => startAgent(t, first.url, `agent-${i}`)));
    await waitInLine(first.proc.logs, agents.map((_, i) => `agent-${i}`));
    // A graceful stop ends the long-polls at once (503) instead of waiting out their 30 s.
    await first.proc.stop('SIGTERM');
    const second = await startServer(t, ['--max-concurrent-pulls', '2'], { data: first.data, listen: new URL(first.url).host });
    t.equal(second.url, first.url, 'same address');
    await waitFor('every agent completes', async () => (await Promise.all(agents.map((agent) => heldSeq(agent.root, 'web')))).every((held) => held === seq));
    t.ok((await serverMetric(second.url, 'codesync_server_blob_streams_peak')) <= 2);
    t.same(second.proc.errorLogs(), []);
});
//# sourceMappingURL=restart.test.js.map