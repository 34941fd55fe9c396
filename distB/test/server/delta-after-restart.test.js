import t from 'tap';
import { getJson, manifestOf, postJson, publishManifest, startServer, tempDir } from './harness.js';
const file = (path, text) => ({ path, type: 'file', mode: 0o644, data: Buffer.from(text) });
const put = (url, app, spec) => getJson(`${url}/v1/apps/${app}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec) });
/**
 * After a restart the server reads a delta's base back from its record, not knowing the rules it
 * passed: a base holding links is checked whole again under the app's rules now, one without
 * links needs only the delta's lookups. Both must answer as before the restart.
 */
t.test('a files-only delta after a restart: a base with a link is checked whole under the rules now, one without is published', async (t) => {
    const dataDir = tempDir(t);
    const first = await startServer(t, dataDir);
    t.equal((await put(first.url, 'linked', { nodeSelector: '', externalSymlinks: 'allow' })).status, 201);
    const linked = await publishManifest(first.url, 'linked', [file('a.php', 'a'), { path: 'logs', type: 'symlink', target: '../../shared/logs' }]);
    t.equal(linked.status, 201, 'an external link, allowed');
    t.equal((await put(first.url, 'linked', { externalSymlinks: 'refuse' })).body.externalSymlinks, 'refuse', 'then refused');
    const plain = await publishManifest(first.url, 'plain', [file('a.php', 'a'), file('lib/b.php', 'b')]);
    t.equal(plain.status, 201);
    await first.proc.stop('SIGTERM');
    const { url } = await startServer(t, dataDir);
    // The blob the delta adds is already held: it is the content of a.php.
    const added = manifestOf([file('lib/c.php', 'a')]);
    const refused = await postJson(`${url}/v1/apps/linked/releases`, { base: linked.body.seq, baseDigest: linked.body.digest, added, changed: [], removed: [] });
    t.match(refused, { status: 400, body: { error: { code: 'INVALID_SYMLINK' } } }, 'the link the base holds is refused under the rules now');
    t.same((await getJson(`${url}/v1/apps/linked/releases`)).body.map((release) => release.seq), [linked.body.seq], 'nothing published');
    const delta = (base, path) => postJson(`${url}/v1/apps/plain/releases`, { base: base.seq, baseDigest: base.digest, added: manifestOf([file(path, 'a')]), changed: [], removed: [] });
    const second = await delta(plain.body, 'lib/c.php');
    t.equal(second.status, 201, 'a base without links takes a files-only delta');
    t.equal((await delta(second.body, 'lib/d.php')).status, 201, 'and so does the tree it made');
    t.match(await delta(second.body, 'lib/c.php/x.php'), { status: 400, body: { error: { code: 'PATH_CONFLICT' } } }, 'still checked: a file under a file');
});
//# sourceMappingURL=delta-after-restart.test.js.map