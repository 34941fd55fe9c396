import t from 'tap';
import { generateKeyPairSync, verify } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifestDigest } from '../../protocol/digest.js';
import { parseSigningKey, signRelease } from '../../protocol/release-signature.js';
import { startRsyncDaemon } from '../helpers/rsync-daemon.js';
import { getJson, manifestOf, postJson, publishManifest, startServer, tarOf, tempDir } from './harness.js';
// A real server: it holds no keys, so it checks a signature's shape, stores it durably with the
// release and serves it; verifying is the agents' part (test/agent/signed-releases.test.ts).
const keyPair = generateKeyPairSync('ed25519');
const key = parseSigningKey(keyPair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
const otherKey = parseSigningKey(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
const treeV1 = [{ path: 'index.php', type: 'file', mode: 0o644, data: Buffer.from('v1') }];
const treeV2 = [{ path: 'index.php', type: 'file', mode: 0o644, data: Buffer.from('v2') }];
function signed(app, tree, signingKey = key) {
    return signRelease(signingKey, app, manifestDigest(manifestOf(tree)));
}
t.test('the server checks the shape, stores, lists and serves signatures, durably', async (t) => {
    const dataDir = tempDir(t);
    let { url, proc } = await startServer(t, dataDir);
    // The blobs are then present for every publish below.
    await publishManifest(url, 'seed', treeV1);
    await publishManifest(url, 'seed', treeV2);
    const post = (app, tree, signature) => postJson(`${url}/v1/apps/${app}/releases?create=1`, { entries: manifestOf(tree), meta: {}, signature });
    for (const bad of ['sig', { keyId: key.keyId }, { keyId: key.keyId, sig: 'AAAA' }, { ...signed('web', treeV1), by: 'me' }]) {
        const refused = await post('web', treeV1, bad);
        t.match(refused, { status: 400, body: { error: { code: 'INVALID_SIGNATURE' } } }, JSON.stringify(bad));
    }
    t.equal((await getJson(`${url}/v1/apps/web`)).status, 404, 'a refused publish leaves no app behind');
    const unsigned = await post('web', treeV1, undefined);
    t.equal(unsigned.status, 201);
    const signature = signed('web', treeV1);
    const resigned = await post('web', treeV1, signature);
    t.match(resigned, { status: 201, body: { seq: 2 } }, 'the same tree newly signed is a new release, so agents get the signature');
    t.match(await post('web', treeV1, signature), { status: 200, body: { seq: 2, unchanged: true } }, 'the same tree and key again: unchanged');
    t.match(await post('web', treeV1, undefined), { status: 200, body: { seq: 2, unchanged: true } }, 'an unsigned re-publish does not drop the signed latest');
    t.match(await post('web', treeV1, signed('web', treeV1, otherKey)), { status: 201, body: { seq: 3 } }, 'signed by another key (a rotation): a new release');
    const v2 = await post('web', treeV2, signed('web', treeV2));
    t.equal(v2.status, 201);
    const check = async (when) => {
        const list = (await getJson(`${url}/v1/apps/web/releases`)).body;
        t.same(list.filter(({ seq }) => seq <= 4).map(({ seq, signed, keyId }) => ({ seq, signed, keyId })), [
            { seq: 4, signed: true, keyId: key.keyId },
            { seq: 3, signed: true, keyId: otherKey.keyId },
            { seq: 2, signed: true, keyId: key.keyId },
            { seq: 1, signed: false, keyId: undefined },
        ], `${when}: summaries say signed and by which key`);
        t.same((await getJson(`${url}/v1/apps/web/releases/2/manifest`)).body.signature, signature, `${when}: the full manifest carries it`);
        t.equal((await getJson(`${url}/v1/apps/web/releases/1/manifest`)).body.signature, undefined, `${when}: none on an unsigned release`);
        t.same((await getJson(`${url}/v1/apps/web/releases/4/manifest?base=2`)).body.signature, signed('web', treeV2), `${when}: the delta carries the target's`);
    };
    await check('served');
    // Rollback: same app, same digest, so the older release's signature goes with it.
    const back = await postJson(`${url}/v1/apps/web/rollback`, { toSeq: 2 });
    t.match(back, { status: 201, body: { seq: 5 } });
    t.same((await getJson(`${url}/v1/apps/web/releases/5/manifest`)).body.signature, signature);
    await proc.stop('SIGKILL');
    ({ url, proc } = await startServer(t, dataDir));
    await check('after a kill -9 and restart');
    t.match((await getJson(`${url}/v1/apps/web/releases`)).body[0], { seq: 5, rollbackOf: 2, signed: true, keyId: key.keyId });
});
t.test('a tar publish takes its signature as query parameters', async (t) => {
    const { url } = await startServer(t, tempDir(t));
    const tar = await tarOf(treeV1);
    const publishTar = (query) => fetch(`${url}/v1/apps/web/releases?create=1&${query}`, { method: 'POST', headers: { 'content-type': 'application/x-tar' }, body: tar });
    const signature = signed('web', treeV1);
    const half = await publishTar(`signature.keyId=${signature.keyId}`);
    t.equal(half.status, 400);
    t.match(await half.json(), { error: { code: 'INVALID_SIGNATURE' } }, 'both parameters or neither');
    const query = new URLSearchParams({ 'meta.commit': 'abc', 'signature.keyId': signature.keyId, 'signature.sig': signature.sig });
    const response = await publishTar(`${query}`);
    t.equal(response.status, 201);
    const body = (await response.json());
    t.equal(body.digest, manifestDigest(manifestOf(treeV1)), 'the server computed the digest the client signed');
    const manifest = (await getJson(`${url}/v1/apps/web/releases/${body.seq}/manifest`)).body;
    t.same(manifest.signature, signature);
    t.same(manifest.meta, { commit: 'abc' }, 'meta and signature parameters do not mix');
});
t.test('--import-sign-key signs what rsync imports publish; without it imports are unsigned', async (t) => {
    const dir = tempDir(t);
    const module = join(dir, 'module');
    mkdirSync(join(dir, 'daemon'));
    mkdirSync(module);
    writeFileSync(join(module, 'index.php'), 'imported\n');
    writeFileSync(join(dir, 'import.key'), keyPair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const daemon = await startRsyncDaemon(join(dir, 'daemon'), { code: { path: module } });
    t.teardown(() => daemon.kill());
    const source = `rsync://127.0.0.1:${daemon.port}/code`;
    const importInto = async (url, app) => {
        const created = await getJson(`${url}/v1/apps/${app}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ importSource: source }) });
        t.equal(created.status, 201);
        const imported = await postJson(`${url}/v1/apps/${app}/imports`, {});
        t.equal(imported.status, 201, JSON.stringify(imported.body));
        return { ...imported.body, manifest: (await getJson(`${url}/v1/apps/${app}/releases/${imported.body.seq}/manifest`)).body };
    };
    const signing = await startServer(t, join(dir, 'signing-data'), ['--import-sign-key', join(dir, 'import.key')]);
    const signedImport = await importInto(signing.url, 'web');
    t.equal(signedImport.manifest.signature?.keyId, key.keyId);
    t.ok(verify(null, Buffer.from(`codesync release v1\nweb\n${signedImport.digest}\n`), keyPair.publicKey, Buffer.from(signedImport.manifest.signature.sig, 'base64')), 'a valid signature of the app and the imported digest');
    const plain = await startServer(t, join(dir, 'plain-data'));
    t.equal((await importInto(plain.url, 'web')).manifest.signature, undefined, 'no key: no signature');
});
//# sourceMappingURL=signed-releases.test.js.map