import t from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { holdSlot, serverMetric, startServer } from './cluster.js';
const MiB = 1024 * 1024;
async function putBlob(url, data) {
    const sha = createHash('sha256').update(data).digest('hex');
    const response = await fetch(`${url}/v1/blobs/${sha}`, { method: 'PUT', body: data, headers: { 'content-type': 'application/octet-stream' } });
    if (response.status >= 300)
        throw new Error(`PUT blob: ${response.status} ${await response.text()}`);
    return sha;
}
/** Downloads a blob under `slot`; returns its size and the seconds it took. */
async function download(url, sha, slot) {
    const started = performance.now();
    const response = await fetch(`${url}/v1/blobs/${sha}`, { headers: { 'x-codesync-slot': slot } });
    if (response.status !== 200)
        throw new Error(`GET blob: ${response.status}`);
    const bytes = (await response.arrayBuffer()).byteLength;
    return { bytes, seconds: (performance.now() - started) / 1000 };
}
t.test('blob requests need a live slot: a clear 428 or 410, never a hang', async (t) => {
    const server = await startServer(t, ['--max-concurrent-pulls', '2']);
    const sha = await putBlob(server.url, randomBytes(1000));
    const none = await fetch(`${server.url}/v1/blobs/${sha}`);
    t.equal(none.status, 428);
    t.equal((await none.json()).error.code, 'SLOT_REQUIRED');
    const unknown = await fetch(`${server.url}/v1/blobs/${sha}`, { headers: { 'x-codesync-slot': 'made-up' } });
    t.equal(unknown.status, 410);
    t.equal((await unknown.json()).error.code, 'SLOT_EXPIRED');
    const held = await holdSlot(server.url, 'n1', 'web');
    t.equal((await download(server.url, sha, held.slot)).bytes, 1000);
    await held.release();
    t.equal((await fetch(`${server.url}/v1/blobs/${sha}`, { headers: { 'x-codesync-slot': held.slot } })).status, 410, 'a released slot is refused');
    t.equal(await serverMetric(server.url, 'codesync_server_blob_streams_open'), 0);
});
// Rates are caps, so only a server far too slow to send 2 MiB/s over loopback could miss the low side.
t.test('--max-bandwidth holds within 20 % over a 10 s transfer, shared fairly by two transfers', async (t) => {
    const rate = 2 * MiB;
    const server = await startServer(t, ['--max-concurrent-pulls', '2', '--max-bandwidth', '2MiB']);
    const big = await putBlob(server.url, randomBytes(10 * rate));
    const first = await holdSlot(server.url, 'n1', 'web');
    // The cap must hold on every try. Reaching it needs the server to get the CPU it asks for: a
    // test file running beside this one (the herd starts 30 agents) can starve it for longer than
    // the bucket's 0.1 s burst, so the rate may be reached on a later try, at most the third.
    const rates = [];
    do {
        const alone = await download(server.url, big, first.slot);
        rates.push(alone.bytes / alone.seconds);
    } while (rates.length < 3 && rates.at(-1) < rate * 0.8);
    const shown = rates.map((measured) => (measured / MiB).toFixed(2)).join(', ');
    t.ok(rates.every((measured) => measured <= rate * 1.2), `one transfer never above the cap: ${shown} MiB/s against 2 MiB/s`);
    t.ok(Math.max(...rates) >= rate * 0.8, `one transfer reaches the cap: ${shown} MiB/s against 2 MiB/s`);
    const half = await putBlob(server.url, randomBytes(3 * rate));
    const second = await holdSlot(server.url, 'n2', 'web');
    // Two transfers share the cap; the same starvation may keep them under it, so the same tries.
    const pairs = [];
    do {
        const started = performance.now();
        const both = await Promise.all([download(server.url, half, first.slot), download(server.url, half, second.slot)]);
        const [fast, slow] = both.map((result) => result.seconds).sort((a, b) => a - b);
        pairs.push({ together: (both[0].bytes + both[1].bytes) / ((performance.now() - started) / 1000), fast, slow });
    } while (pairs.length < 3 && pairs.at(-1).together < rate * 0.8);
    const together = pairs.map((pair) => (pair.together / MiB).toFixed(2)).join(', ');
    t.ok(pairs.every((pair) => pair.together <= rate * 1.2), `two transfers together never above the cap: ${together} MiB/s`);
    t.ok(pairs.some((pair) => pair.together >= rate * 0.8), `two transfers together reach the cap: ${together} MiB/s`);
    const fairness = pairs.map((pair) => `${pair.fast.toFixed(1)} s and ${pair.slow.toFixed(1)} s`).join('; ');
    t.ok(pairs.every((pair) => pair.fast / pair.slow >= 0.8), `each got about half on every try: they took ${fairness}`);
    await first.release();
    await second.release();
});
//# sourceMappingURL=blob-gate.test.js.map