import t from 'tap';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getJson, publishManifest, startServer, tempDir } from './harness.js';
const tree = [{ path: 'a.php', type: 'file', mode: 0o644, data: Buffer.from('a one') }];
// The write worker probes O_TMPFILE by linking an unnamed file into the blob root and removing
// it; a kill -9 in between (the server crash test found it) left a file among the prefix
// directories, and the next start failed listing it (ENOTDIR).
t.test('a probe file a crash left in the blob root is removed at start, not listed as a prefix', async (t) => {
    const dataDir = join(tempDir(t), 'data');
    const first = await startServer(t, dataDir);
    t.equal((await publishManifest(first.url, 'web', tree)).status, 201);
    await first.proc.stop('SIGKILL');
    const probe = join(dataDir, 'blobs', 'sha256', '.unnamed-probe-4368-1i6hw0pnqe7');
    writeFileSync(probe, '');
    const { url } = await startServer(t, dataDir);
    t.notOk(existsSync(probe), 'the stray probe is gone');
    t.equal((await getJson(`${url}/v1/apps/web/releases/1/manifest`)).body.entries.length, 1, 'the release is served');
    t.equal((await publishManifest(url, 'web', [...tree, { path: 'b.php', type: 'file', mode: 0o644, data: Buffer.from('b') }])).status, 201, 'publishes go on');
});
//# sourceMappingURL=stray-probe.test.js.map