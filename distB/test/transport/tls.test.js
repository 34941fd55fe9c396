import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { connect } from 'node:tls';
import t from 'tap';
import { runCli } from '../helpers/codesync-process.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { snapshot, startAgent, startServer, tempDir, waitForSeq } from '../agent/fixtures.js';
import { createTestCa, hasOpenssl } from './certificates.js';
// Real processes over real TLS: a private CA and server certificates made by openssl in a temp dir,
// `codesync server --tls-cert --tls-key`, the agent and the CLI trusting the CA through --ca-file.
const skip = (await hasOpenssl()) ? false : 'openssl is not installed: node:crypto cannot make the X.509 certificates this test needs';
t.test('https end to end: publish, agent sync, untrusted clients refused, SIGHUP swaps the certificate for new connections only', { skip }, async (t) => {
    const dir = tempDir(t, 'codesync-tls-');
    const ca = await createTestCa(dir);
    const first = await ca.issue('codesync-server-one');
    const second = await ca.issue('codesync-server-two');
    // The server reads these paths at start and again on SIGHUP; the test swaps their contents.
    const certFile = join(dir, 'tls.crt');
    const keyFile = join(dir, 'tls.key');
    await copyFile(first.cert, certFile);
    await copyFile(first.key, keyFile);
    const server = await startServer(t, ['--tls-cert', certFile, '--tls-key', keyFile]);
    t.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/, 'the server announces an https URL');
    const withCa = { env: { CODESYNC_CA_FILE: ca.caFile } };
    const src = join(dir, 'src');
    await mkdir(src);
    await writeFile(join(src, 'index.php'), '<?php echo "one";\n');
    const published = await runCliInProcess(['publish', src, '--server', server.url, '--app', 'web', '--create', '--selector', '', '--cache', join(dir, 'cache.json')], withCa);
    t.equal(published.code, 0, `publish over https with CODESYNC_CA_FILE: ${published.stderr}`);
    const refused = await runCliInProcess(['status', '--server', server.url]);
    t.equal(refused.code, 1, 'a client without --ca-file fails');
    t.match(refused.stderr, /^codesync: TLS_UNTRUSTED: .*--ca-file/m, 'with a code that says what to do');
    const plain = await runCliInProcess(['status', '--server', server.url.replace('https:', 'http:')], withCa);
    t.equal(plain.code, 1, 'plain http to an https server fails');
    t.match(plain.stderr, /SERVER_(UNREACHABLE|ERROR)/);
    const agent = await startAgent(t, server.url, { args: ['--ca-file', ca.caFile] });
    await waitForSeq(agent, 'web', 1);
    t.same(await snapshot(join(agent.root, 'apps/web/current')), await snapshot(src), 'the agent synced over https');
    t.notOk(agent.proc.logs.some((line) => String(line.msg).includes('plain http')), 'no plain-http warning over https');
    // A connection opened before the reload keeps the old certificate and keeps working.
    const before = await handshake(server.url, ca.caFile);
    t.match(before.getPeerCertificate().subject.CN, 'codesync-server-one');
    await copyFile(second.cert, certFile);
    await copyFile(second.key, keyFile);
    server.proc.child.kill('SIGHUP');
    const reloaded = await server.proc.waitForLog((line) => line.msg === 'TLS certificate reloaded');
    t.match(JSON.stringify(reloaded.tls), 'codesync-server-two', 'the log names the new certificate');
    const after = await handshake(server.url, ca.caFile);
    t.match(after.getPeerCertificate().subject.CN, 'codesync-server-two', 'a new connection sees the new certificate');
    after.destroy();
    t.equal(await healthOver(before), 200, 'the connection opened before the reload still serves requests');
    before.destroy();
    await writeFile(join(src, 'index.php'), '<?php echo "two";\n');
    const again = await runCliInProcess(['publish', src, '--server', server.url, '--app', 'web', '--cache', join(dir, 'cache.json'), '--ca-file', ca.caFile]);
    t.equal(again.code, 0, `publish after the reload: ${again.stderr}`);
    await waitForSeq(agent, 'web', 2);
    t.same(await snapshot(join(agent.root, 'apps/web/current')), await snapshot(src), 'the agent follows releases across the reload');
    // A bad pair on SIGHUP is refused and the served certificate stays.
    await writeFile(certFile, 'not a certificate\n');
    server.proc.child.kill('SIGHUP');
    await server.proc.waitForLog((line) => line.msg === 'TLS reload failed; serving the previous certificate');
    const still = await handshake(server.url, ca.caFile);
    t.match(still.getPeerCertificate().subject.CN, 'codesync-server-two', 'a broken reload keeps the previous certificate');
    still.destroy();
});
t.test('plain http off loopback is served with a warning', async (t) => {
    const server = await startServer(t, ['--listen', '0.0.0.0:0']);
    const warning = await server.proc.waitForLog((line) => String(line.msg).startsWith('serving plain http off loopback'));
    t.equal(warning.level, 40);
});
t.test('--tls-cert without --tls-key is a usage error', async (t) => {
    const result = await runCli(['server', '--data', tempDir(t, 'codesync-tls-usage-'), '--listen', '127.0.0.1:0', '--tls-cert', '/nonexistent.pem']);
    t.equal(result.code, 2);
    t.match(result.stderr, /--tls-cert and --tls-key go together/);
});
/** A TLS connection to the server's address that trusts `caFile`. */
async function handshake(url, caFile) {
    const { hostname, port } = new URL(url);
    const socket = connect({ host: hostname, port: Number(port), ca: await readFile(caFile, 'utf8') });
    await once(socket, 'secureConnect');
    return socket;
}
/** The status of `GET /healthz` sent over an already open connection. */
async function healthOver(socket) {
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const [chunk] = (await once(socket, 'data'));
    return Number(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'))?.[1]);
}
//# sourceMappingURL=tls.test.js.map