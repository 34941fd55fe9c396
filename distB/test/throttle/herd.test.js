import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { heldSeq, holdSlots, nodesInLogOrder, peakOpenStreams, publish, serverMetric, startAgent, startServer, tempDir, waitFor, waitInLine, writeRandomTree } from './cluster.js';
// 30 real agents against a real server with 3 slots. The test holds the 3 slots itself while the
// agents line up, so every agent really waits and the line's order is known before it moves.
const AGENTS = 30;
const SLOTS = 3;
const APP = 'web';
t.test('30 agents, 3 slots: never more than 3 blob streams, everyone completes, FIFO within a class, cold first', async (t) => {
    const server = await startServer(t, ['--max-concurrent-pulls', String(SLOTS)]);
    const src = tempDir(t, 'codesync-throttle-src-');
    await writeRandomTree(src, 24, 128 * 1024);
    const seq1 = await publish(server.url, APP, src);
    const holders = await holdSlots(server.url, SLOTS, APP);
    const names = Array.from({ length: AGENTS }, (_, i) => `agent-${String(i).padStart(2, '0')}`);
    // Started a few at a time: 30 node processes starting at once on a loaded 2-core machine would
    // each take minutes to log `listening`; the line's order comes from the server's log anyway.
    const agents = [];
    for (let i = 0; i < names.length; i += 5)
        agents.push(...(await Promise.all(names.slice(i, i + 5).map((name) => startAgent(t, server.url, name)))));
    const logsOf = (node) => agents[names.indexOf(node)]?.proc.logs ?? [];
    await waitInLine(server.proc.logs, names, 0, logsOf);
    t.equal(peakOpenStreams(server.proc.logs), 0, 'no blob stream while every slot is taken');
    const firstRound = server.proc.logs.length;
    for (const holder of holders)
        await holder.release();
    await waitFor('every agent at seq 1', async () => (await Promise.all(agents.map((agent) => heldSeq(agent.root, APP)))).every((seq) => seq >= seq1));
    const queued = nodesInLogOrder(server.proc.logs, 'pull slot queued').filter((node) => node.startsWith('agent-'));
    t.equal(queued.length, AGENTS);
    t.same(nodesInLogOrder(server.proc.logs, 'pull slot granted', firstRound), queued, 'slots granted in arrival order');
    // Updating nodes line up behind held slots; a cold node arriving last is served first. The
    // changes weigh more than a small pull (docs/throttling.md), which would take a lane of its own.
    const held = await holdSlots(server.url, SLOTS, APP);
    await writeFile(join(src, 'd0', 'f0.bin'), Buffer.alloc(768 * 1024, 'changed\n'));
    await writeFile(join(src, 'd1', 'f1.bin'), Buffer.alloc(768 * 1024, 'changed too\n'));
    const secondRound = server.proc.logs.length;
    const seq2 = await publish(server.url, APP, src);
    await waitInLine(server.proc.logs, names, secondRound, logsOf);
    const cold = await startAgent(t, server.url, 'late-cold');
    await waitInLine(server.proc.logs, ['late-cold'], secondRound, () => cold.proc.logs);
    const releaseRound = server.proc.logs.length;
    for (const holder of held)
        await holder.release();
    await waitFor('every agent at seq 2', async () => (await Promise.all([...agents, cold].map((agent) => heldSeq(agent.root, APP)))).every((seq) => seq >= seq2));
    const updating = nodesInLogOrder(server.proc.logs, 'pull slot queued', secondRound).filter((node) => node.startsWith('agent-'));
    t.same(nodesInLogOrder(server.proc.logs, 'pull slot granted', releaseRound), ['late-cold', ...updating], 'the cold node overtakes, updating nodes keep their order');
    t.ok(peakOpenStreams(server.proc.logs) <= SLOTS, `open blob streams peaked at ${peakOpenStreams(server.proc.logs)}`);
    t.ok((await serverMetric(server.url, 'codesync_server_blob_streams_peak')) <= SLOTS, 'the peak gauge agrees');
    t.equal(await serverMetric(server.url, 'codesync_server_blob_streams_open'), 0);
    t.equal(await serverMetric(server.url, 'codesync_server_pull_slots_waiting'), 0);
    t.same(server.proc.errorLogs(), []);
});
//# sourceMappingURL=herd.test.js.map