import t from 'tap';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blobTarOf, getJson, publishManifest, sha256, startServer, tarOf, tempDir } from './harness.js';
const root = process.getuid?.() === 0;
// A real full disk: the store lives on a 20 MiB tmpfs, grown to 100 MiB once the refusals were seen.
t.test('a full disk is 507 STORE_FULL with nothing partial kept; the retry after space comes back succeeds', { skip: root ? false : 'mounting a tmpfs needs root' }, async (t) => {
    const mountPoint = tempDir(t);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=20m', 'tmpfs', mountPoint]);
    const dataDir = join(mountPoint, 'data');
    mkdirSync(dataDir);
    const server = await startServer(t, dataDir);
    // Registered after the server's stop, so it runs once the server no longer holds the mount.
    t.teardown(async () => {
        await server.proc.stop('SIGKILL');
        execFileSync('umount', [mountPoint]);
    });
    const { url } = server;
    const big = randomBytes(30 * 1024 * 1024);
    const hash = sha256(big);
    const tempFiles = () => readdirSync(join(dataDir, 'tmp'));
    const blobsDir = join(dataDir, 'blobs');
    const blobFiles = () => (existsSync(blobsDir) ? readdirSync(blobsDir, { recursive: true }).filter((name) => /[0-9a-f]{64}$/.test(String(name))) : []);
    const put = await getJson(`${url}/v1/blobs/${hash}`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: big });
    t.match(put, { status: 507, body: { error: { code: 'STORE_FULL' } } }, 'PUT of a blob larger than the disk');
    t.same(tempFiles(), [], 'its temp file was removed');
    t.equal((await fetch(`${url}/v1/blobs/${hash}`)).status, 404, 'no blob under its name');
    const batch = await getJson(`${url}/v1/blobs`, { method: 'POST', headers: { 'content-type': 'application/x-tar' }, body: await blobTarOf([randomBytes(8 * 1024 * 1024), big]) });
    t.match(batch, { status: 507, body: { error: { code: 'STORE_FULL' } } }, 'a tar of blobs');
    t.same(tempFiles(), [], 'none of its temp files is left');
    const tree = [{ path: 'small.txt', type: 'file', mode: 0o644, data: Buffer.from('small') }, { path: 'big.bin', type: 'file', mode: 0o644, data: big }];
    const tarPublish = await getJson(`${url}/v1/apps/web/releases`, { method: 'POST', headers: { 'content-type': 'application/x-tar' }, body: await tarOf(tree) });
    t.match(tarPublish, { status: 507, body: { error: { code: 'STORE_FULL' } } }, 'a tar publish');
    t.same(tempFiles(), [], 'nothing of it is left');
    t.equal((await fetch(`${url}/v1/apps/web`)).status, 404, 'and no app was created');
    t.same(blobFiles(), [], 'the blob store holds nothing, partial or whole');
    execFileSync('mount', ['-o', 'remount,size=100m', mountPoint]);
    const retry = await getJson(`${url}/v1/blobs/${hash}`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: big });
    t.match(retry, { status: 201, body: { sha256: hash, size: big.length } }, 'the same PUT succeeds once there is room');
    // Read from the store, not over HTTP: serving 30 MiB is not what this test is about.
    t.ok(readFileSync(join(blobsDir, 'sha256', hash.slice(0, 2), hash)).equals(big), 'the stored blob holds exactly its bytes');
    t.equal((await publishManifest(url, 'web', tree)).status, 201, 'a publish naming it succeeds');
    t.same(server.proc.errorLogs().map((line) => line.code), ['STORE_FULL', 'STORE_FULL', 'STORE_FULL'], 'each full disk was logged as an error for operators');
});
//# sourceMappingURL=store-full.test.js.map