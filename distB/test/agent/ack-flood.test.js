import t from 'tap';
import { Agent as HttpAgent, request } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CodesyncProcess } from '../helpers/codesync-process.js';
import { mapLimit } from '../../protocol/runtime/map-limit.js';
import { publish, startServer, tempDir, waitFor, waitForSeq } from './fixtures.js';
const PODS = 1200;
const MESSAGE = 'x'.repeat(3990) + ' the tail';
/** POSTs one ack over the agent's real Unix socket. */
function postAck(socketPath, agent, body) {
    return new Promise((resolve, reject) => {
        const text = JSON.stringify(body);
        const req = request({ socketPath, agent, path: '/v1/apps/shop/acks', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end(text);
    });
}
async function nodeRow(server) {
    const status = (await (await fetch(`${server}/v1/apps/shop/status`)).json());
    return status.nodes.find((node) => node.node === 'node-a');
}
t.test('1 200 pods acking with 4 000-character messages never freeze the node report', async (t) => {
    const dir = tempDir(t, 'cs-acks-');
    const socket = join(dir, 'codesync.sock');
    const src = join(dir, 'src');
    const server = await startServer(t);
    await mkdir(src);
    await writeFile(join(src, 'index.php'), 'v1');
    const seq1 = await publish(server.url, 'shop', src);
    const agent = new CodesyncProcess(['agent', '--server', server.url, '--root', join(dir, 'root'), '--listen', '127.0.0.1:0', '--node', 'node-a', '--socket', socket], { env: { CODESYNC_LOG_LEVEL: 'info' } });
    t.teardown(() => agent.stop('SIGKILL'));
    await agent.ready();
    await waitForSeq(join(dir, 'root'), 'shop', seq1);
    const http = new HttpAgent({ keepAlive: true, maxSockets: 16 });
    t.teardown(() => http.destroy());
    const statuses = new Set();
    await mapLimit(Array.from({ length: PODS }, (_, i) => i), 16, async (i) => {
        statuses.add(await postAck(socket, http, { pod: `shop-web-${String(i).padStart(4, '0')}-${'p'.repeat(40)}`, seq: seq1, ok: i % 3 !== 0, message: MESSAGE }));
    }, new AbortController().signal);
    t.same([...statuses], [202], 'every ack was taken');
    let row;
    await waitFor('the acks in the server view', async () => {
        row = await nodeRow(server.url);
        return (row?.acks?.ok ?? 0) + (row?.acks?.failed ?? 0) >= 900;
    }, 60_000);
    t.ok(row.acks.failed >= 300, `failures are kept first (${row.acks.failed} failed, ${row.acks.ok} ok reported)`);
    t.ok(row.acks.failures.every((failure) => (failure.message ?? '').length <= 256 && (failure.message ?? '').endsWith('the tail')), 'messages are cut to their tail');
    t.notOk(agent.logs.some((line) => line.msg === 'node report failed; the next heartbeat retries'), 'no report was refused');
    await writeFile(join(src, 'index.php'), 'v2');
    const seq2 = await publish(server.url, 'shop', src);
    await waitFor('the node seq updating in the server view', async () => (await nodeRow(server.url))?.seq === seq2);
    t.pass('the server still gets the node reports after the flood');
});
//# sourceMappingURL=ack-flood.test.js.map