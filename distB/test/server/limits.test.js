import t from 'tap';
import { request as httpRequest } from 'node:http';
import { LIMITS } from '../../protocol/limits.js';
import { getJson, postJson, publishManifest, sha256, startServer, tarOf, tempDir, untar } from './harness.js';
const data = Buffer.from('<?php echo 1;\n');
const fileAt = (path) => ({ path, type: 'file', mode: 0o644, data });
let url = '';
t.before(async () => {
    url = (await startServer(t, tempDir(t))).url;
});
t.test('names over 255 bytes and paths over the path limit are refused at publish, with codes', async (t) => {
    const longName = `lib/${'n'.repeat(252)}.php`;
    const maxName = `lib/${'n'.repeat(251)}.php`;
    const longPath = Array.from({ length: 15 }, () => 'd'.repeat(250)).join('/');
    const maxPath = `${Array.from({ length: 14 }, () => 'd'.repeat(250)).join('/')}/${'f'.repeat(LIMITS.maxPathBytes - 14 * 251)}`;
    t.equal(Buffer.byteLength(maxPath), LIMITS.maxPathBytes);
    for (const [what, publish] of [
        ['manifest', (tree) => publishManifest(url, 'limits', tree)],
        ['tar', async (tree) => {
                const response = await fetch(`${url}/v1/apps/limits/releases`, { method: 'POST', headers: { 'content-type': 'application/x-tar' }, body: await tarOf(tree) });
                return { status: response.status, body: await response.json() };
            }],
    ]) {
        t.match(await publish([fileAt(longName)]), { status: 400, body: { error: { code: 'NAME_TOO_LONG', message: /256 bytes/ } } }, `${what}: a 256-byte name`);
        t.match(await publish([fileAt(`${'é'.repeat(128)}`)]), { status: 400, body: { error: { code: 'NAME_TOO_LONG' } } }, `${what}: 128 two-byte letters`);
        t.match(await publish([fileAt(longPath)]), { status: 400, body: { error: { code: 'PATH_TOO_LONG', message: new RegExp(`limit of ${LIMITS.maxPathBytes}`) } } }, `${what}: a path over the limit`);
        t.match(await publish([{ path: 'l', type: 'symlink', target: 'x/'.repeat(LIMITS.maxPathBytes / 2 + 1) }]), { status: 400, body: { error: { code: 'INVALID_SYMLINK', message: /longer than/ } } }, `${what}: a target over the limit`);
    }
    const accepted = await publishManifest(url, 'limits', [fileAt(maxName), fileAt(maxPath)]);
    t.equal(accepted.status, 201, 'a 255-byte name and a path of exactly the limit are accepted');
});
t.test(`POST /v1/blobs:fetch takes ${LIMITS.maxFetchBlobs} hashes, as documented`, async (t) => {
    // Hashes of blobs the store lacks: the answer names every one, so all of them were read and
    // looked up (storing 100 000 blobs first would take far longer than the fetch limit is worth).
    const wanted = Array.from({ length: LIMITS.maxFetchBlobs }, (_, i) => sha256(Buffer.from(`blob ${i}\n`)));
    const body = JSON.stringify({ sha256: wanted });
    t.ok(Buffer.byteLength(body) > LIMITS.maxJsonBytes, `the body (${Buffer.byteLength(body)} bytes) is over the 1 MiB other JSON bodies get`);
    const all = await getJson(`${url}/v1/blobs:fetch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    t.match(all, { status: 404, body: { error: { code: 'BLOB_NOT_FOUND' } } }, 'accepted and looked up, not refused for its size');
    t.equal(all.body.missing.length, LIMITS.maxFetchBlobs, 'every hash was looked up');
    const published = await publishManifest(url, 'fetched', [fileAt('a.php')]);
    t.equal(published.status, 201);
    const served = await fetch(`${url}/v1/blobs:fetch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sha256: Array(LIMITS.maxFetchBlobs).fill(sha256(data)) }) });
    t.equal(served.status, 200, `${LIMITS.maxFetchBlobs} names of a stored blob are served`);
    const files = await untar(Buffer.from(await served.arrayBuffer()));
    t.same(files.map((file) => file.data.toString()), [data.toString()], 'once, with its bytes');
    const tooMany = [...wanted, 'f'.repeat(64)];
    t.match(await postJson(`${url}/v1/blobs:fetch`, { sha256: tooMany }), { status: 400, body: { error: { code: 'INVALID_REQUEST', message: /at most 100000/ } } }, 'one more is refused by count');
    const huge = await refusedOrCutOff(`${url}/v1/blobs:fetch`, 'POST', `{"sha256":[${' '.repeat(LIMITS.maxFetchBodyBytes)}]}`);
    t.match(huge, { status: 413, body: { error: { code: 'BODY_TOO_LARGE' } } }, 'a body over its own limit is refused');
    const other = await refusedOrCutOff(`${url}/v1/apps/web`, 'PUT', `{"nodeSelector":"","x":"${'y'.repeat(LIMITS.maxJsonBytes)}"}`);
    t.match(other, { status: 413, body: { error: { code: 'BODY_TOO_LARGE' } } }, 'other routes keep the 1 MiB limit');
});
/**
 * An oversized body: the server answers 413 as soon as it knows and closes the connection, which
 * may reach the client while it is still writing (EPIPE, which fetch reports instead of the answer).
 * node:http hands over the answer whenever it arrives; a write error after it is expected.
 */
function refusedOrCutOff(target, method, body) {
    return new Promise((resolve, reject) => {
        let answered = false;
        const request = httpRequest(target, { method, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
            answered = true;
            const chunks = [];
            response.on('data', (chunk) => chunks.push(chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
            response.on('error', reject);
        });
        request.on('error', (err) => {
            if (answered)
                return;
            // The server refused and closed before the client got to read its 413: a refusal too.
            if (err.code === 'EPIPE' || err.code === 'ECONNRESET')
                resolve({ status: 413, body: { error: { code: 'BODY_TOO_LARGE', message: `connection closed while sending (${err.code})` } } });
            else
                reject(err);
        });
        request.end(body);
    });
}
//# sourceMappingURL=limits.test.js.map