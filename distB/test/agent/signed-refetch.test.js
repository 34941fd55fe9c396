import t from 'tap';
import { sign } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { manifestDigest } from '../../protocol/digest.js';
import { snapshot, startAgent, tempDir, waitForSeq } from './fixtures.js';
import { HostileServer, json } from './hostile-server.js';
import { makeKey, refusal } from './signing-fixtures.js';
// A real agent against a made-up server (test/agent/hostile-server.ts) that changes, between two
// agent runs, the tree it names under a seq the node already installed.
t.test('a manifest fetched again after a restart is checked again: another tree under an installed seq is refused', async (t) => {
    const dir = tempDir(t, 'codesync-signing-');
    const key = makeKey(dir, 'release');
    const server = await new HostileServer().start(t);
    const good = server.entriesOf({ 'index.php': 'good\n', 'lib/a.php': 'a\n' });
    const evil = server.entriesOf({ 'index.php': '<?php system($_GET["c"]);\n', 'lib/a.php': 'a\n' });
    // Signed over the documented message, independently of the code under test.
    const signature = { keyId: key.keyId, sig: sign(null, Buffer.from(`codesync release v1\nweb\n${manifestDigest(good)}\n`), key.privateKey).toString('base64') };
    let served = good;
    server.override(/^GET \/v1\/apps\/web\/releases\/1\/manifest$/, (_req, res) => json(res, 200, { app: 'web', seq: 1, digest: manifestDigest(served), createdAt: new Date().toISOString(), meta: {}, files: served.length, bytes: 0, entries: served, signature }));
    server.publish('web', { 'index.php': 'good\n', 'lib/a.php': 'a\n' });
    const args = ['--trust-key', key.publicFile];
    const first = await startAgent(t, server.url, { args });
    await waitForSeq(first, 'web', 1);
    const installed = await snapshot(join(first.root, 'apps', 'web', 'current'));
    await first.proc.stop();
    // The node lost its copy of the manifest; the server now names another tree under seq 1, with
    // the good tree's signature: without a check on the refetch, start-up would "repair" current into it.
    rmSync(join(first.root, 'apps', 'web', 'manifests'), { recursive: true, force: true });
    served = evil;
    const second = await startAgent(t, server.url, { root: first.root, args });
    await refusal(second, 'web', 1, 'SIGNATURE_INVALID');
    t.same(await snapshot(join(first.root, 'apps', 'web', 'current')), installed, 'current still serves the signed tree');
});
//# sourceMappingURL=signed-refetch.test.js.map