import t from 'tap';
import { verify } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/codesync-process.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { heldSeq, manifestSnapshot, putApp, snapshot, startAgent, startServer, tempDir, waitForSeq } from './fixtures.js';
import { makeKey, refusal } from './signing-fixtures.js';
// Real server, agents and CLI over loopback. Keys are made here; the publisher signs with its
// key file, agents trust public key files, and a "hostile" publisher with no key reuses
// signatures it read from the server on other trees and apps.
async function getJson(url) {
    const response = await fetch(url);
    if (!response.ok)
        throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
    return (await response.json());
}
t.test('agents with --trust-key install only releases a trusted key signed; rollback keeps the signature', async (t) => {
    const dir = tempDir(t, 'codesync-signing-');
    const keys = join(dir, 'keys');
    const tree = join(dir, 'tree');
    mkdirSync(keys);
    mkdirSync(join(tree, 'lib'), { recursive: true });
    const oldKey = makeKey(keys, 'old');
    const newKey = makeKey(keys, 'new');
    const { url } = await startServer(t);
    const publish = async (content, ...extra) => {
        writeFileSync(join(tree, 'index.php'), content);
        writeFileSync(join(tree, 'lib', 'util.php'), 'shared');
        const result = await runCliInProcess(['publish', tree, '--server', url, '--app', 'web', '--cache', join(dir, 'hash-cache.json'), '--json', '--create', '--selector', '', ...extra]);
        if (result.code !== 0)
            throw new Error(`publish failed: ${result.stderr}`);
        return JSON.parse(result.stdout);
    };
    const manifest = (seq, app = 'web') => getJson(`${url}/v1/apps/${app}/releases/${seq}/manifest`);
    const current = (agent) => snapshot(join(agent.root, 'apps', 'web', 'current'));
    /** Publishes entries with a signature of the caller's choosing, as a server or publisher without the key could. */
    const publishForged = async (app, entries, signature) => {
        const response = await fetch(`${url}/v1/apps/${app}/releases`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ entries, meta: {}, signature }) });
        t.equal(response.status, 201, 'the server cannot tell a stolen signature from a good one: it holds no keys');
        return (await response.json()).seq;
    };
    // 1. A signed publish: stored, listed, served, and it verifies over the documented message.
    const v1 = await publish('v1', '--sign-key', oldKey.privateFile);
    t.equal(v1.seq, 1);
    const m1 = await manifest(1);
    t.equal(m1.signature?.keyId, oldKey.keyId, 'the manifest carries the signature');
    t.ok(verify(null, Buffer.from(`codesync release v1\nweb\n${v1.digest}\n`), oldKey.publicKey, Buffer.from(m1.signature.sig, 'base64')), 'signed bytes as docs/security.md says');
    // Started one by one: each start is bounded (20 s) and the machine may be loaded.
    const none = await startAgent(t, url, { node: 'none' });
    const oldOnly = await startAgent(t, url, { node: 'old-only', args: ['--trust-key', oldKey.publicFile] });
    const both = await startAgent(t, url, { node: 'both', args: ['--trust-key', oldKey.publicFile, '--trust-key', newKey.publicFile] });
    await Promise.all([none, oldOnly, both].map((agent) => waitForSeq(agent, 'web', 1)));
    t.same(await current(oldOnly), await manifestSnapshot(url, 'web', 1), 'a signed release is installed where its key is trusted');
    // 2. Unsigned: refused with a code where a key is required, current kept; accepted without keys.
    await publish('v2');
    await Promise.all([refusal(oldOnly, 'web', 2, 'SIGNATURE_MISSING'), refusal(both, 'web', 2, 'SIGNATURE_MISSING'), waitForSeq(none, 'web', 2)]);
    t.equal(await heldSeq(oldOnly.root, 'web'), 1);
    t.same(await current(oldOnly), await manifestSnapshot(url, 'web', 1), 'current still serves the signed release');
    t.equal((await getJson(`${url}/v1/apps/web/releases`))[0].signed, false, 'listed as unsigned');
    // 3. Rollback to the signed release: a new seq with the older release's signature.
    const back = await runCliInProcess(['rollback', '--server', url, '--app', 'web', '--to', '1']);
    t.equal(back.code, 0, back.stderr);
    t.equal(back.stdout, `3 ${v1.digest}\n`);
    t.same((await manifest(3)).signature, m1.signature, 'same app, same digest: the same signature');
    t.match((await getJson(`${url}/v1/apps/web/releases`))[0], { seq: 3, rollbackOf: 1, signed: true, keyId: oldKey.keyId });
    await Promise.all([oldOnly, both, none].map((agent) => waitForSeq(agent, 'web', 3)));
    t.same(await current(both), await manifestSnapshot(url, 'web', 3));
    // 4. The publisher rotates to the new key: agents trusting it switch (over a delta), the others refuse.
    const v3 = await publish('v3', '--sign-key', newKey.privateFile);
    t.equal(v3.seq, 4);
    await Promise.all([refusal(oldOnly, 'web', 4, 'SIGNATURE_UNTRUSTED'), waitForSeq(both, 'web', 4), waitForSeq(none, 'web', 4)]);
    t.same(await current(both), await manifestSnapshot(url, 'web', 4), 'both keys: the new key\'s release is installed');
    t.same(await current(oldOnly), await manifestSnapshot(url, 'web', 3), 'wrong key: current kept');
    const newOnly = await startAgent(t, url, { node: 'new-only', args: ['--trust-key', newKey.publicFile] });
    await waitForSeq(newOnly, 'web', 4);
    // 5. A release signed by the rotated-out key: refused by an agent that trusts only the new key.
    const back2 = await runCliInProcess(['rollback', '--server', url, '--app', 'web', '--to', '3']);
    t.equal(back2.stdout, `5 ${v1.digest}\n`, back2.stderr);
    await Promise.all([refusal(newOnly, 'web', 5, 'SIGNATURE_UNTRUSTED'), waitForSeq(both, 'web', 5)]);
    t.same(await current(newOnly), await manifestSnapshot(url, 'web', 4), 'rotated-out key: current kept');
    // 6. Tampered: another tree served under the old key's signature (what a compromised server could send).
    const m4 = await manifest(4);
    const tampered = await publishForged('web', m4.entries, m1.signature);
    await refusal(both, 'web', tampered, 'SIGNATURE_INVALID');
    t.equal(await heldSeq(both.root, 'web'), 5);
    t.same(await current(both), await manifestSnapshot(url, 'web', 5), 'tampered: current kept');
    // 7. The same tree under another app, with web's signature: refused too (the app is signed).
    await putApp(url, 'other', {});
    const replayed = await publishForged('other', m1.entries, m1.signature);
    await refusal(both, 'other', replayed, 'SIGNATURE_INVALID');
    t.equal(await heldSeq(both.root, 'other'), 0, 'nothing of the replayed app was installed');
    // 8. codesync pull verifies the same way; CODESYNC_TRUST_KEY holds several files comma-separated.
    const pull = (seq, dest, args, env = {}) => runCli(['pull', '--server', url, '--app', 'web', '--seq', String(seq), '--dest', join(dir, dest), ...args], { env });
    const bothKeys = { CODESYNC_TRUST_KEY: `${oldKey.publicFile},${newKey.publicFile}` };
    const [missing, untrusted, invalid, pulled, privateTrusted] = await Promise.all([
        pull(2, 'p1', [], bothKeys),
        pull(4, 'p2', ['--trust-key', oldKey.publicFile]),
        pull(tampered, 'p3', [], bothKeys),
        pull(4, 'p4', [], bothKeys),
        pull(4, 'p5', ['--trust-key', oldKey.privateFile]),
    ]);
    t.match(missing, { code: 1, stderr: /^codesync: SIGNATURE_MISSING: / });
    t.match(untrusted, { code: 1, stderr: /^codesync: SIGNATURE_UNTRUSTED: / });
    t.match(invalid, { code: 1, stderr: /^codesync: SIGNATURE_INVALID: / });
    t.equal(pulled.code, 0, pulled.stderr);
    t.equal(pulled.stdout, `4 ${v3.digest} ${join(dir, 'p4', 'current')}\n`);
    t.match(privateTrusted, { code: 1, stderr: /^codesync: INVALID_KEY: .*private key/ }, 'a private key is never trusted');
});
//# sourceMappingURL=signed-releases.test.js.map