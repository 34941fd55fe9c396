import t from 'tap';
import { gzipSync } from 'node:zlib';
import { checkStore } from '../../server/store/fsck.js';
import { getJson, manifestOf, postJson, publishManifest, rawRequest, sha256, startServer, tempDir, storeSnapshot, tarOf } from './harness.js';
const good = [
    { path: 'index.php', type: 'file', mode: 0o644, data: Buffer.from('<?php echo 1;\n') },
    { path: 'lib', type: 'dir', mode: 0o755 },
];
const file = (path, extra = {}) => ({ path, type: 'file', mode: 0o644, size: 14, sha256: sha256(good[0].type === 'file' ? good[0].data : Buffer.alloc(0)), ...extra });
t.test('bad input is refused with its code, stores nothing and logs no error', async (t) => {
    const server = await startServer(t, tempDir(t));
    const { url } = server;
    t.equal((await publishManifest(url, 'web', good)).status, 201);
    const before = await storeSnapshot(server.dataDir);
    const expectError = async (what, response, status, code) => {
        const { status: got, body } = await response;
        t.equal(got, status, `${what}: status`);
        t.equal(body?.error?.code, code, `${what}: ${code}`);
        return body;
    };
    const publish = (body, app = 'web', query = '') => postJson(`${url}/v1/apps/${app}/releases${query}`, body);
    const publishTar = async (tar, query = '', type = 'application/x-tar') => {
        const response = await fetch(`${url}/v1/apps/web/releases${query}`, { method: 'POST', headers: { 'content-type': type }, body: tar });
        return { status: response.status, body: await response.json() };
    };
    // manifest rules (protocol/manifest.ts)
    const manifestCases = [
        ['body not an object', [], 400, 'INVALID_REQUEST'],
        ['entries not an array', { entries: {} }, 400, 'INVALID_REQUEST'],
        ['dot-dot path', { entries: [file('../escape')] }, 400, 'INVALID_PATH'],
        ['absolute path', { entries: [file('/etc/passwd')] }, 400, 'INVALID_PATH'],
        ['empty segment', { entries: [file('a//b')] }, 400, 'INVALID_PATH'],
        ['dot segment', { entries: [file('a/./b')] }, 400, 'INVALID_PATH'],
        ['empty path', { entries: [file('')] }, 400, 'INVALID_PATH'],
        ['NUL in path', { entries: [file('a\u0000b')] }, 400, 'INVALID_PATH'],
        ['path over 3584 bytes', { entries: [file(Array(15).fill('x'.repeat(250)).join('/'))] }, 400, 'PATH_TOO_LONG'],
        ['name over 255 bytes', { entries: [file(`lib/${'n'.repeat(256)}.php`)] }, 400, 'NAME_TOO_LONG'],
        ['duplicate path', { entries: [file('a'), file('a')] }, 400, 'DUPLICATE_PATH'],
        ['path under a file', { entries: [file('a'), file('a/b')] }, 400, 'PATH_CONFLICT'],
        ['setuid mode', { entries: [file('a', { mode: 0o4755 })] }, 400, 'INVALID_MODE'],
        ['sticky dir', { entries: [{ path: 'd', type: 'dir', mode: 0o1777 }] }, 400, 'INVALID_MODE'],
        ['absolute symlink', { entries: [{ path: 'l', type: 'symlink', mode: 0o777, target: '/etc/passwd' }] }, 400, 'INVALID_SYMLINK'],
        ['symlink leaving the tree', { entries: [{ path: 'd/l', type: 'symlink', mode: 0o777, target: '../../x' }] }, 400, 'INVALID_SYMLINK'],
        ['unknown type', { entries: [{ path: 'p', type: 'fifo', mode: 0o644 }] }, 400, 'INVALID_ENTRY'],
        ['file without sha256', { entries: [{ path: 'a', type: 'file', mode: 0o644, size: 1 }] }, 400, 'INVALID_ENTRY'],
        ['negative size', { entries: [file('a', { size: -1 })] }, 400, 'INVALID_ENTRY'],
        ['meta too large', { entries: manifestOf(good), meta: { message: 'x'.repeat(5000) } }, 400, 'META_TOO_LARGE'],
        ['meta not strings', { entries: manifestOf(good), meta: { n: 1 } }, 400, 'INVALID_REQUEST'],
    ];
    for (const [what, body, status, code] of manifestCases)
        await expectError(what, publish(body), status, code);
    const missing = await expectError('absent blob', publish({ entries: [file('a', { sha256: 'f'.repeat(64), size: 3 })] }, 'newapp', '?create=1'), 409, 'BLOBS_MISSING');
    t.same(missing.missing, ['f'.repeat(64)], 'the 409 names the missing blobs');
    t.equal((await getJson(`${url}/v1/apps/newapp`)).status, 404, 'a refused publish does not create the app');
    await expectError('invalid app name', publish({ entries: manifestOf(good) }, 'Bad_App'), 400, 'INVALID_APP_NAME');
    const unknown = await expectError('publish to an unknown app', publish({ entries: manifestOf(good) }, 'typo'), 404, 'APP_NOT_FOUND');
    t.match(unknown.error.message, /codesync apps create typo --selector/, 'the refusal says how to create the app');
    await expectError('create with a bad selector', publish({ entries: manifestOf(good) }, 'typo', '?create=1&selector=env%20in%20(a'), 400, 'INVALID_SELECTOR');
    await expectError('selector without create', publish({ entries: manifestOf(good) }, 'typo', '?selector=env%3Dpre'), 400, 'INVALID_REQUEST');
    await expectError('delete an unknown app', getJson(`${url}/v1/apps/typo`, { method: 'DELETE' }), 404, 'APP_NOT_FOUND');
    await expectError('malformed JSON', getJson(`${url}/v1/apps/web/releases`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"entries": [' }), 400, 'INVALID_JSON');
    await expectError('text body', getJson(`${url}/v1/apps/web/releases`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await expectError('manifest over the byte limit', rawRequest(url, { method: 'POST', path: '/v1/apps/web/releases', headers: { 'content-type': 'application/json' }, body: Buffer.from('{"entries":['), declaredLength: 300 * 1024 * 1024 }), 413, 'MANIFEST_TOO_LARGE');
    await expectError('manifest body cut short', rawRequest(url, { method: 'POST', path: '/v1/apps/web/releases', headers: { 'content-type': 'application/json' }, body: Buffer.from('{"entries":['), declaredLength: 1000 }), 400, 'TRUNCATED_BODY');
    // tar publishing
    const someFiles = [{ path: 'new-1', type: 'file', mode: 0o644, data: Buffer.from('fresh bytes one') }];
    await expectError('character device', publishTar(await tarOf(someFiles, [{ name: 'dev', type: 'character-device', devmajor: 1, devminor: 3 }])), 400, 'UNSUPPORTED_TAR_ENTRY');
    await expectError('fifo', publishTar(await tarOf(someFiles, [{ name: 'pipe', type: 'fifo' }])), 400, 'UNSUPPORTED_TAR_ENTRY');
    await expectError('hardlink', publishTar(await tarOf(someFiles, [{ name: 'hard', type: 'link', linkname: 'new-1' }])), 400, 'UNSUPPORTED_TAR_ENTRY');
    await expectError('block device', publishTar(await tarOf(someFiles, [{ name: 'blk', type: 'block-device', devmajor: 8, devminor: 0 }])), 400, 'UNSUPPORTED_TAR_ENTRY');
    await expectError('path escaping the tree', publishTar(await tarOf([{ path: '../evil', type: 'file', mode: 0o644, data: Buffer.from('x') }])), 400, 'INVALID_PATH');
    await expectError('symlink escaping the tree', publishTar(await tarOf([{ path: 'l', type: 'symlink', target: '../../etc' }])), 400, 'INVALID_SYMLINK');
    const bigTar = await tarOf([{ path: 'f', type: 'file', mode: 0o644, data: Buffer.alloc(100_000, 7) }]);
    await expectError('tar cut inside a file', publishTar(bigTar.subarray(0, 50_000)), 400, 'TRUNCATED_BODY');
    await expectError('gzip cut short', publishTar(gzipSync(bigTar).subarray(0, 60), '', 'application/gzip'), 400, 'TRUNCATED_BODY');
    await expectError('garbage instead of a tar', publishTar(Buffer.alloc(1024, 0x41)), 400, 'INVALID_TAR');
    await expectError('garbage gzip', publishTar(Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.alloc(200, 0x41)]), '', 'application/gzip'), 400, 'INVALID_TAR');
    await expectError('tar meta too large', publishTar(await tarOf(good), `?meta.message=${'x'.repeat(5000)}`), 400, 'META_TOO_LARGE');
    await expectError('tar body cut before its length', rawRequest(url, { method: 'POST', path: '/v1/apps/web/releases', headers: { 'content-type': 'application/x-tar' }, body: bigTar.subarray(0, 30_000), declaredLength: bigTar.length }), 400, 'TRUNCATED_BODY');
    // blobs
    const bytes = Buffer.from('the real bytes');
    await expectError('blob bytes not matching', getJson(`${url}/v1/blobs/${sha256(Buffer.from('other'))}`, { method: 'PUT', body: bytes }), 400, 'CHECKSUM_MISMATCH');
    await expectError('blob name not a sha256', getJson(`${url}/v1/blobs/abc`, { method: 'PUT', body: bytes }), 400, 'INVALID_SHA256');
    await expectError('blob body cut short', rawRequest(url, { method: 'PUT', path: `/v1/blobs/${sha256(bytes)}`, body: bytes.subarray(0, 5), declaredLength: bytes.length }), 400, 'TRUNCATED_BODY');
    const goodBlob = Buffer.from('a good blob first');
    const badTar = await (async () => {
        const { default: tar } = await import('tar-stream');
        const pack = tar.pack();
        pack.entry({ name: sha256(goodBlob), size: goodBlob.length }, goodBlob);
        pack.entry({ name: sha256(Buffer.from('not these')), size: bytes.length }, bytes);
        pack.finalize();
        const chunks = [];
        for await (const chunk of pack)
            chunks.push(chunk);
        return Buffer.concat(chunks);
    })();
    await expectError('blob tar with a mismatching entry', getJson(`${url}/v1/blobs`, { method: 'POST', headers: { 'content-type': 'application/x-tar' }, body: badTar }), 400, 'CHECKSUM_MISMATCH');
    await expectError('blob tar with a bad name', getJson(`${url}/v1/blobs`, { method: 'POST', headers: { 'content-type': 'application/x-tar' }, body: await tarOf([{ path: 'readme', type: 'file', mode: 0o644, data: bytes }]) }), 400, 'INVALID_SHA256');
    await expectError('absent blob', getJson(`${url}/v1/blobs/${'0'.repeat(64)}`), 404, 'BLOB_NOT_FOUND');
    const fetchMissing = await expectError('fetch of an absent blob', postJson(`${url}/v1/blobs:fetch`, { sha256: ['0'.repeat(64)] }), 404, 'BLOB_NOT_FOUND');
    t.same(fetchMissing.missing, ['0'.repeat(64)]);
    await expectError('fetch with a bad name', postJson(`${url}/v1/blobs:fetch`, { sha256: ['xyz'] }), 400, 'INVALID_REQUEST');
    // apps, releases, rollback, nodes
    await expectError('bad selector', getJson(`${url}/v1/apps/web`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nodeSelector: 'env in (a' }) }), 400, 'INVALID_SELECTOR');
    await expectError('keepReleases 0', getJson(`${url}/v1/apps/web`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ keepReleases: 0 }) }), 400, 'INVALID_REQUEST');
    await expectError('unknown app', getJson(`${url}/v1/apps/nope`), 404, 'APP_NOT_FOUND');
    await expectError('unknown release', getJson(`${url}/v1/apps/web/releases/99/manifest`), 404, 'RELEASE_NOT_FOUND');
    await expectError('seq not a number', getJson(`${url}/v1/apps/web/releases/abc/manifest`), 400, 'INVALID_SEQ');
    await expectError('base 0', getJson(`${url}/v1/apps/web/releases/1/pack?base=0`), 400, 'INVALID_SEQ');
    await expectError('rollback with one release', postJson(`${url}/v1/apps/web/rollback`, {}), 409, 'NOTHING_TO_ROLL_BACK');
    await expectError('rollback to a bad seq', postJson(`${url}/v1/apps/web/rollback`, { toSeq: 'x' }), 400, 'INVALID_SEQ');
    await expectError('node report without apps', getJson(`${url}/v1/nodes/n1`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' }), 400, 'INVALID_REQUEST');
    await expectError('node name with a slash', getJson(`${url}/v1/nodes/a..b`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"apps":{}}' }), 400, 'INVALID_REQUEST');
    await expectError('unknown route', getJson(`${url}/v2/whatever`), 404, 'NOT_FOUND');
    t.same(await storeSnapshot(server.dataDir), before, 'the store holds exactly what it held before');
    t.same((await getJson(`${url}/v1/apps/web/releases`)).body.length, 1);
    t.same(server.proc.errorLogs(), [], 'client errors are not logged as errors');
    await server.proc.stop();
    t.same(await checkStore(server.dataDir), []);
});
//# sourceMappingURL=bad-input.test.js.map