import t from 'tap';
import { statSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { getJson, postJson, publishManifest, sha256, startServer, tempDir, untar } from './harness.js';
import { waitFor } from '../helpers/wait-for.js';
const compressible = Buffer.from('<?php echo "hello"; ?>\n'.repeat(2000));
const tree1 = [
    { path: 'a.php', type: 'file', mode: 0o644, data: compressible },
    { path: 'b.php', type: 'file', mode: 0o644, data: Buffer.from('b one') },
];
const tree2 = [tree1[0], { path: 'b.php', type: 'file', mode: 0o644, data: Buffer.from('b two') }, { path: 'c.php', type: 'file', mode: 0o755, data: Buffer.from('c new') }];
// A server without tokens, shared by the tests that only add apps of their own to it.
let shared;
const openServer = () => (shared ??= startServer(t, tempDir(t)));
t.test('auth: read and publish scopes, public health endpoints, tokens never logged', async (t) => {
    const dir = tempDir(t);
    const tokenFile = join(dir, 'tokens');
    writeFileSync(tokenFile, '# CI publishes, agents read\npublish:pub-s3cret-token\nread:read-s3cret-token\n');
    const server = await startServer(t, join(dir, 'data'), ['--token-list', tokenFile]);
    const { url } = server;
    const as = (token) => ({ authorization: `Bearer ${token}` });
    const code = async (response) => {
        const { status, body } = await response;
        return [status, body?.error?.code];
    };
    t.same(await code(getJson(`${url}/v1/apps`)), [401, 'UNAUTHORIZED'], 'no token');
    t.same(await code(getJson(`${url}/v1/apps`, { headers: as('wrong') })), [401, 'UNAUTHORIZED'], 'unknown token');
    t.same(await code(getJson(`${url}/v1/apps`, { headers: as('read-s3cret-token') })), [200, undefined], 'read token reads');
    const manifest = { entries: [{ path: 'd', type: 'dir', mode: 0o755 }] };
    t.same(await code(postJson(`${url}/v1/apps/web/releases`, manifest, as('read-s3cret-token'))), [403, 'FORBIDDEN'], 'read token may not publish');
    t.same(await code(getJson(`${url}/v1/apps/web`, { method: 'PUT', headers: { ...as('read-s3cret-token'), 'content-type': 'application/json' }, body: '{}' })), [403, 'FORBIDDEN']);
    t.same(await code(postJson(`${url}/v1/apps/web/releases?create=1`, manifest, as('pub-s3cret-token'))), [201, undefined], 'publish token publishes');
    t.same(await code(postJson(`${url}/v1/apps/web/rollback`, {}, as('read-s3cret-token'))), [403, 'FORBIDDEN']);
    const report = await fetch(`${url}/v1/nodes/n1`, { method: 'PUT', headers: { ...as('read-s3cret-token'), 'content-type': 'application/json' }, body: JSON.stringify({ apps: {} }) });
    t.equal(report.status, 204, 'agents report with a read token');
    const fetched = await fetch(`${url}/v1/blobs:fetch`, { method: 'POST', headers: { ...as('read-s3cret-token'), 'content-type': 'application/json' }, body: '{"sha256":[]}' });
    t.equal(fetched.status, 200, 'blobs:fetch is a read');
    await fetched.arrayBuffer();
    for (const path of ['/healthz', '/readyz', '/metrics'])
        t.equal((await fetch(`${url}${path}`)).status, 200, `${path} needs no token`);
    const logs = JSON.stringify(server.proc.logs) + server.proc.stderr.join('\n');
    t.notMatch(logs, /s3cret/, 'no token appears in the logs');
    t.notOk(server.proc.logs.some((line) => /no tokens configured/.test(String(line.msg))), 'no auth warning with tokens');
});
t.test('no tokens: open access with a warning', async (t) => {
    const server = await openServer();
    t.ok(server.proc.logs.some((line) => line.level === 40 && /no tokens configured/.test(String(line.msg))));
    t.equal((await getJson(`${server.url}/v1/apps`)).status, 200);
});
t.test('blob and pack caching: immutable headers, ETag, 304, Range, gzip, deterministic packs', async (t) => {
    const server = await openServer();
    const { url } = server;
    await publishManifest(url, 'web', tree1);
    await publishManifest(url, 'web', tree2);
    const hash = sha256(compressible);
    const plain = await fetch(`${url}/v1/blobs/${hash}`, { headers: { 'accept-encoding': 'identity' } });
    t.equal(plain.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    t.equal(plain.headers.get('etag'), `"${hash}"`, 'strong ETag is the sha256');
    t.ok(Buffer.from(await plain.arrayBuffer()).equals(compressible));
    const notModified = await fetch(`${url}/v1/blobs/${hash}`, { headers: { 'if-none-match': `"${hash}"` } });
    t.equal(notModified.status, 304);
    const range = await fetch(`${url}/v1/blobs/${hash}`, { headers: { range: 'bytes=10-19' } });
    t.equal(range.status, 206);
    t.equal(range.headers.get('content-range'), `bytes 10-19/${compressible.length}`);
    t.ok(Buffer.from(await range.arrayBuffer()).equals(compressible.subarray(10, 20)));
    const suffix = await fetch(`${url}/v1/blobs/${hash}`, { headers: { range: 'bytes=-5' } });
    t.ok(Buffer.from(await suffix.arrayBuffer()).equals(compressible.subarray(-5)));
    const outside = await getJson(`${url}/v1/blobs/${hash}`, { headers: { range: `bytes=${compressible.length}-` } });
    t.same([outside.status, outside.body.error.code, outside.headers.get('content-range')], [416, 'RANGE_NOT_SATISFIABLE', `bytes */${compressible.length}`]);
    const { request } = await import('undici');
    const gzipped = await request(`${url}/v1/blobs/${hash}`, { headers: { 'accept-encoding': 'gzip' } });
    t.equal(gzipped.headers['content-encoding'], 'gzip');
    t.equal(gzipped.headers.etag, `"${hash}-gzip"`, 'the gzip representation has its own strong ETag');
    const { gunzipSync } = await import('node:zlib');
    const zipped = Buffer.from(await gzipped.body.arrayBuffer());
    t.ok(zipped.length < compressible.length / 10, 'compressed on the wire');
    t.ok(gunzipSync(zipped).equals(compressible), 'gzip decodes to the blob');
    const identity = await request(`${url}/v1/blobs/${hash}`);
    t.equal(identity.headers['content-encoding'], undefined, 'no gzip unless asked');
    await identity.body.dump();
    const pack = async (query) => {
        const response = await fetch(`${url}/v1/apps/web/releases/2/pack${query}`);
        t.equal(response.status, 200);
        t.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
        return { etag: response.headers.get('etag'), body: Buffer.from(await response.arrayBuffer()) };
    };
    const full1 = await pack('');
    const full2 = await pack('');
    t.ok(full1.body.equals(full2.body), 'the same pack twice is the same bytes');
    t.equal(full1.etag, full2.etag);
    t.match(full1.etag, /^"[0-9a-f]{64}"$/, 'strong ETag');
    const delta = await pack('?base=1');
    t.not(delta.etag, full1.etag, 'a different base is a different ETag');
    const deltaNames = (await untar(delta.body)).map((entry) => entry.name);
    t.same(deltaNames, [sha256(Buffer.from('b two')), sha256(Buffer.from('c new'))].sort(), 'the delta pack holds only what release 2 adds');
    t.equal((await fetch(`${url}/v1/apps/web/releases/2/pack?base=1`, { headers: { 'if-none-match': delta.etag } })).status, 304);
    const manifest = await fetch(`${url}/v1/apps/web/releases/2/manifest?base=1`);
    const body = (await manifest.json());
    t.same([body.added.map((e) => e.path), body.changed.map((e) => e.path), body.removed], [['c.php'], ['b.php'], []], 'manifest delta');
    t.equal((await fetch(`${url}/v1/apps/web/releases/2/manifest?base=1`, { headers: { 'if-none-match': manifest.headers.get('etag') } })).status, 304);
});
t.test('rollback publishes an older manifest as a new seq', async (t) => {
    const server = await openServer();
    const { url } = server;
    const first = await publishManifest(url, 'rolled', tree1);
    await publishManifest(url, 'rolled', tree2);
    const rolled = await postJson(`${url}/v1/apps/rolled/rollback`, {});
    t.same([rolled.status, rolled.body.seq, rolled.body.digest], [201, 3, first.body.digest], 'default: the release before the latest');
    const listed = await getJson(`${url}/v1/apps/rolled/releases`);
    t.same(listed.body.map((r) => [r.seq, r.rollbackOf]), [[3, 1], [2, undefined], [1, undefined]]);
    const forward = await postJson(`${url}/v1/apps/rolled/rollback`, { toSeq: 2 });
    t.same([forward.status, forward.body.seq], [201, 4]);
    const same = await postJson(`${url}/v1/apps/rolled/rollback`, { toSeq: 4 });
    t.same([same.status, same.body.error.code], [409, 'NOTHING_TO_ROLL_BACK']);
});
t.test('SIGTERM lets a request in flight finish, then refuses new ones and exits 0', async (t) => {
    const server = await startServer(t, tempDir(t));
    const { Readable } = await import('node:stream');
    const { request } = await import('undici');
    const data = Buffer.alloc(256 * 1024, 9);
    let release;
    const gate = new Promise((resolve) => (release = resolve));
    const body = Readable.from((async function* () {
        yield data.subarray(0, 1024);
        await gate;
        yield data.subarray(1024);
    })());
    const upload = request(`${server.url}/v1/blobs/${sha256(data)}`, { method: 'PUT', body, headers: { 'content-length': String(data.length) } });
    // In flight: the server is writing the first KiB to the blob's temp file and waits for the rest.
    const tmp = join(server.dataDir, 'tmp');
    await waitFor('the upload to reach the server', async () => (await readdir(tmp).catch(() => [])).some((name) => statSync(join(tmp, name), { throwIfNoEntry: false })?.size === 1024));
    server.proc.child.kill('SIGTERM');
    await server.proc.waitForLog((line) => line.msg === 'shutting down');
    release();
    const response = await upload;
    t.equal(response.statusCode, 201, 'the upload in flight completed');
    await response.body.dump();
    const exit = await server.proc.exited;
    t.equal(exit.code, 0);
});
//# sourceMappingURL=http.test.js.map