import t from 'tap';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../agent/fixtures.js';
import { getJson, startServer, tempDir } from './harness.js';
t.test('tokens rotate without a restart: the file is re-read on change and on SIGHUP; a bad file keeps the old tokens', async (t) => {
    const dir = tempDir(t);
    const tokenFile = join(dir, 'tokens');
    writeFileSync(tokenFile, 'publish:old-publish-token\nread:old-read-token\n');
    const server = await startServer(t, join(dir, 'data'), ['--token-list', tokenFile]);
    const status = async (token) => (await getJson(`${server.url}/v1/apps`, { headers: { authorization: `Bearer ${token}` } })).status;
    t.equal(await status('old-read-token'), 200);
    // Rotation as a Kubernetes Secret or a deploy script does it: a new file renamed into place.
    writeFileSync(`${tokenFile}.new`, 'publish:old-publish-token\nread:new-read-token\n');
    renameSync(`${tokenFile}.new`, tokenFile);
    await server.proc.waitForLog((line) => line.msg === 'tokens reloaded' && line.reason === 'changed');
    t.equal(await status('new-read-token'), 200, 'the new token works');
    t.equal(await status('old-read-token'), 401, 'the retired one no longer does');
    // A half-written or emptied file must not turn auth off or lock everyone out.
    writeFileSync(tokenFile, '');
    await server.proc.waitForLog((line) => line.msg === 'token file not reloaded; the server keeps its tokens');
    t.equal(await status('new-read-token'), 200, 'an empty file keeps the tokens the server has');
    t.equal(await status('nothing'), 401);
    // SIGHUP re-reads at once, whatever the file's timestamps say.
    writeFileSync(tokenFile, 'publish:old-publish-token\nread:third-read-token\n');
    server.proc.child.kill('SIGHUP');
    await server.proc.waitForLog((line) => line.msg === 'tokens reloaded' && line.reason === 'SIGHUP');
    await waitFor('the third token', async () => (await status('third-read-token')) === 200);
    t.equal(await status('new-read-token'), 401);
    t.notMatch(JSON.stringify(server.proc.logs), /read-token/, 'no token reaches the logs');
});
//# sourceMappingURL=token-rotation.test.js.map