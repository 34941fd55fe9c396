import t from 'tap';
import { checkStore } from '../../server/store/fsck.js';
import { getJson, publishManifest, sha256, startServer, tempDir } from './harness.js';
const file = (path, text) => ({ path, type: 'file', mode: 0o644, data: Buffer.from(text) });
const blobStatus = async (url, text) => (await fetch(`${url}/v1/blobs/${sha256(Buffer.from(text))}`, { method: 'HEAD' })).status;
t.test('GC keeps what retained releases need and nothing else', async (t) => {
    const server = await startServer(t, tempDir(t), ['--gc-grace-seconds', '0', '--keep-releases', '2']);
    const { url } = server;
    for (const [i, only] of ['only-in-1', 'only-in-2'].entries()) {
        t.equal((await publishManifest(url, 'web', [file('shared.txt', 'shared by all'), file('own.txt', only)], { n: String(i) })).status, 201);
    }
    const orphan = Buffer.from('uploaded, never published');
    t.equal((await fetch(`${url}/v1/blobs/${sha256(orphan)}`, { method: 'PUT', body: orphan })).status, 201);
    const gcLogs = () => server.proc.logs.filter((line) => line.msg === 'gc done').length;
    // Release 3 changes one file and adds another: GC reads it as a delta against release 2.
    t.equal((await publishManifest(url, 'web', [file('added.txt', 'added in 3'), file('shared.txt', 'shared by all'), file('own.txt', 'only-in-3')])).status, 201);
    await server.proc.waitForLog((line) => line.msg === 'gc done' && Number(line.deleted) >= 2);
    t.same((await getJson(`${url}/v1/apps/web/releases`)).body.map((r) => r.seq), [3, 2], 'release 1 was pruned');
    t.equal(await blobStatus(url, 'only-in-1'), 404, 'a blob only the pruned release used is gone');
    t.equal((await fetch(`${url}/v1/blobs/${sha256(orphan)}`, { method: 'HEAD' })).status, 404, 'an unreferenced upload past its grace is gone');
    for (const kept of ['shared by all', 'only-in-2', 'only-in-3', 'added in 3'])
        t.equal(await blobStatus(url, kept), 200, `${kept} is kept`);
    const before = gcLogs();
    const lowered = await getJson(`${url}/v1/apps/web`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ keepReleases: 1 }) });
    t.equal(lowered.status, 200);
    await server.proc.waitForLog(() => gcLogs() > before);
    t.equal(await blobStatus(url, 'only-in-2'), 404, 'lowering keepReleases prunes and collects');
    t.equal(await blobStatus(url, 'only-in-3'), 200);
    await server.proc.stop();
    t.same(await checkStore(server.dataDir), []);
});
t.test('the grace period keeps uploads of a publish in progress', async (t) => {
    const server = await startServer(t, tempDir(t), ['--keep-releases', '1']);
    const { url } = server;
    const pending = Buffer.from('uploaded for a publish still in progress');
    t.equal((await fetch(`${url}/v1/blobs/${sha256(pending)}`, { method: 'PUT', body: pending })).status, 201);
    await publishManifest(url, 'web', [file('a', 'first')]);
    await publishManifest(url, 'web', [file('a', 'second')]);
    await server.proc.waitForLog((line) => line.msg === 'gc done');
    t.equal((await fetch(`${url}/v1/blobs/${sha256(pending)}`, { method: 'HEAD' })).status, 200, 'young unreferenced blob survives GC');
    t.equal(await blobStatus(url, 'first'), 200, 'blobs of the pruned release are within their grace too');
});
//# sourceMappingURL=gc.test.js.map