import t from 'tap';
import { randomBytes } from 'node:crypto';
import { checkStore } from '../../server/store/fsck.js';
import { getJson, manifestOf, postJson, publishManifest, sha256, startServer, tempDir, tarOf, untar } from './harness.js';
const big = randomBytes(20 * 1024 * 1024);
const tree = [
    { path: 'bin', type: 'dir', mode: 0o755 },
    { path: 'bin/run.sh', type: 'file', mode: 0o755, data: Buffer.from('#!/bin/sh\necho hi\n') },
    { path: 'empty', type: 'dir', mode: 0o700 },
    { path: 'nested', type: 'dir', mode: 0o755 },
    { path: 'nested/empty too', type: 'dir', mode: 0o755 },
    { path: 'naïve café ☕.txt', type: 'file', mode: 0o644, data: Buffer.from('unicode name\n') },
    { path: 'with space.txt', type: 'file', mode: 0o600, data: Buffer.from('spaces\n') },
    { path: 'zero', type: 'file', mode: 0o644, data: Buffer.alloc(0) },
    { path: 'big.bin', type: 'file', mode: 0o644, data: big },
    { path: 'link-to-run', type: 'symlink', target: 'bin/run.sh' },
    { path: 'nested/up', type: 'symlink', target: '../zero' },
];
const files = tree.filter((entry) => entry.type === 'file');
t.test('a tree published as tar and as manifest+blobs comes back byte for byte, mode for mode', async (t) => {
    const server = await startServer(t, tempDir(t));
    const expected = manifestOf(tree);
    const viaTar = await fetch(`${server.url}/v1/apps/tarred/releases?create=1&meta.commit=abc123&meta.author=ci`, { method: 'POST', headers: { 'content-type': 'application/x-tar' }, body: await tarOf(tree) });
    t.equal(viaTar.status, 201);
    const tarred = (await viaTar.json());
    t.equal(tarred.seq, 1);
    const viaManifest = await publishManifest(server.url, 'manifested', tree, { commit: 'abc123' });
    t.equal(viaManifest.status, 201);
    t.equal(viaManifest.body.digest, tarred.digest, 'both ways give the same canonical digest');
    for (const app of ['tarred', 'manifested']) {
        const manifest = await getJson(`${server.url}/v1/apps/${app}/releases/1/manifest`);
        t.equal(manifest.status, 200);
        t.same(manifest.body.entries, expected, `${app}: entries, modes, sizes, hashes and targets`);
        t.equal(manifest.body.files, files.length);
        t.equal(manifest.body.bytes, files.reduce((sum, file) => sum + file.data.length, 0));
        t.equal(manifest.body.meta.commit, 'abc123');
    }
    for (const file of files) {
        const response = await fetch(`${server.url}/v1/blobs/${sha256(file.data)}`);
        t.equal(response.status, 200);
        t.ok(Buffer.from(await response.arrayBuffer()).equals(file.data), `blob of ${file.path}`);
    }
    const wanted = files.map((file) => sha256(file.data));
    const fetched = await fetch(`${server.url}/v1/blobs:fetch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sha256: wanted }) });
    t.equal(fetched.status, 200);
    const fetchedEntries = await untar(Buffer.from(await fetched.arrayBuffer()));
    t.same(fetchedEntries.map((entry) => entry.name), wanted, 'fetch tar holds the asked blobs in order');
    for (const entry of fetchedEntries)
        t.equal(sha256(entry.data), entry.name);
    const pack = await fetch(`${server.url}/v1/apps/tarred/releases/1/pack`);
    t.equal(pack.status, 200);
    const packEntries = await untar(Buffer.from(await pack.arrayBuffer()));
    t.same(packEntries.map((entry) => entry.name), [...new Set(wanted)].sort(), 'pack holds every blob, sorted');
    for (const entry of packEntries) {
        t.equal(sha256(entry.data), entry.name);
        t.equal(entry.header.mode, 0o644);
        t.equal(entry.header.uid, 0);
        t.equal(entry.header.mtime?.getTime(), 0);
    }
    const again = await postJson(`${server.url}/v1/apps/tarred/releases`, { entries: expected, meta: {} });
    t.equal(again.status, 200);
    t.same(again.body, { seq: 1, digest: tarred.digest, unchanged: true }, 'the same tree again makes no new seq');
    const gz = await import('node:zlib');
    const viaGzip = await fetch(`${server.url}/v1/apps/gzipped/releases?create=1`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: gz.gzipSync(await tarOf(tree)) });
    t.equal(viaGzip.status, 415, 'octet-stream is not a publish body');
    const sniffed = await fetch(`${server.url}/v1/apps/gzipped/releases?create=1`, { method: 'POST', headers: { 'content-type': 'application/x-tar' }, body: gz.gzipSync(await tarOf(tree)) });
    t.equal(sniffed.status, 201, 'gzip is sniffed under application/x-tar');
    t.equal((await sniffed.json()).digest, tarred.digest);
    await server.proc.stop();
    t.same(await checkStore(server.dataDir), []);
    t.same(server.proc.errorLogs(), []);
});
//# sourceMappingURL=roundtrip.test.js.map