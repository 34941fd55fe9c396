import t, {} from 'tap';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { diffManifests } from '../../protocol/delta.js';
import { manifestDigest } from '../../protocol/digest.js';
import { heldSeq, metric, snapshot, startAgent, tempDir, waitFor, waitForSeq } from './fixtures.js';
import tar from 'tar-stream';
import { HostileServer, json } from './hostile-server.js';
// A real agent against a made-up server (test/agent/hostile-server.ts) that lies in every way the
// agent must survive: each case asserts the refusal's code, that the directory next to --root is
// byte for byte unchanged, and that `current` still serves release 1.
const GOOD = { 'index.php': '<?php echo "v1";\n', 'dir/a.txt': 'a\n', link: { symlink: 'dir' } };
const NEXT = { ...GOOD, 'index.php': '<?php echo "v2";\n', 'dir/b.txt': 'b\n' };
/** The delta route of release 2 over 1 answers `body(honestDelta)` with the target's digest. */
function lyingDelta(edit) {
    return (server, app) => server.override(new RegExp(`^GET /v1/apps/${app}/releases/2/manifest\\?base=1$`), (_req, res) => {
        const state = server.apps.get(app);
        const target = state.releases.get(2);
        const delta = diffManifests(state.releases.get(1), target);
        return json(res, 200, { app, seq: 2, base: 1, digest: manifestDigest(target), ...edit(delta) });
    });
}
/** The blob of `content` is served as `send` writes it, on every route that carries blobs. */
function lyingBlob(content, send) {
    return (server) => {
        const sha = server.entriesOf({ x: content })[0];
        server.override(new RegExp(`^GET /v1/blobs/${sha.sha256}$`), (_req, res) => {
            send(res);
            return true;
        });
    };
}
const DELTA_CASES = [
    { app: 'removed-escape', code: 'INVALID_PATH', lie: lyingDelta((d) => ({ ...d, removed: [...d.removed, '../../../../../victim', '../../../../victim', '../victim'] })) },
    { app: 'removed-absolute', code: 'INVALID_PATH', lie: lyingDelta((d) => ({ ...d, removed: ['/tmp'] })) },
    { app: 'removed-dot-segments', code: 'INVALID_PATH', lie: lyingDelta((d) => ({ ...d, removed: ['dir/../../..'] })) },
    { app: 'removed-not-string', code: 'INVALID_PATH', lie: lyingDelta((d) => ({ ...d, removed: [42] })) },
    { app: 'removed-object', code: 'INVALID_PATH', lie: lyingDelta((d) => ({ ...d, removed: [{ path: 'dir' }] })) },
    { app: 'removed-through-link', code: 'INVALID_DELTA', lie: lyingDelta((d) => ({ ...d, removed: ['link/a.txt'] })) },
    { app: 'removed-not-array', code: 'INVALID_DELTA', lie: lyingDelta((d) => ({ ...d, removed: '../victim' })) },
    { app: 'added-under-link', code: 'PATH_CONFLICT', lie: lyingDelta((d) => ({ ...d, added: [...d.added, { path: 'link/evil.txt', type: 'file', mode: 0o644, size: 2, sha256: 'b'.repeat(64) }] })) },
    { app: 'changed-link-escape', code: 'INVALID_SYMLINK', lie: lyingDelta((d) => ({ ...d, changed: [{ path: 'link', type: 'symlink', mode: 0o777, target: '../../../../../victim' }] })) },
    { app: 'added-link-chain', code: 'INVALID_SYMLINK', lie: lyingDelta((d) => ({ ...d, added: [{ path: 'up', type: 'symlink', mode: 0o777, target: 'link/..' }, { path: 'out', type: 'symlink', mode: 0o777, target: 'up/../link/../..' }] })) },
    { app: 'added-absolute', code: 'INVALID_PATH', lie: lyingDelta((d) => ({ ...d, added: [{ path: '/etc/evil', type: 'file', mode: 0o644, size: 2, sha256: 'b'.repeat(64) }] })) },
    { app: 'added-setuid', code: 'INVALID_MODE', lie: lyingDelta((d) => ({ ...d, added: [{ path: 'sbin', type: 'file', mode: 0o4755, size: 2, sha256: 'b'.repeat(64) }] })) },
    { app: 'added-existing', code: 'INVALID_DELTA', lie: lyingDelta((d) => ({ ...d, added: [...d.added, { path: 'link', type: 'dir', mode: 0o755 }] })) },
    { app: 'changed-unknown', code: 'INVALID_DELTA', lie: lyingDelta((d) => ({ ...d, changed: [{ path: 'nowhere/x', type: 'dir', mode: 0o755 }] })) },
    { app: 'bad-digest', code: 'INVALID_SHA256', lie: lyingDelta((d) => ({ ...d, digest: 'sha256:../../x' })) },
    { app: 'wrong-digest', code: 'CHECKSUM_MISMATCH', lie: lyingDelta((d) => ({ ...d, digest: `sha256:${'0'.repeat(64)}` })) },
    {
        app: 'symlink-chain-root',
        code: 'INVALID_SYMLINK',
        // Each target looks harmless as text; resolved link through link they reach above the tree.
        next: { ...GOOD, 'a/up': { symlink: '..' }, b: { symlink: 'a/up/..' }, c: { symlink: 'b/..' }, d: { symlink: 'c/..' }, e: { symlink: 'd/..' }, f: { symlink: 'e/..' } },
        lie: () => { },
    },
];
/** The release pack answers a tar whose entries are `entries` (name, bytes as sent). */
function lyingTar(entries) {
    return (server, app) => {
        const send = (_req, res) => {
            res.writeHead(200, { 'content-type': 'application/x-tar' });
            const pack = tar.pack();
            pack.on('error', () => { }); // the agent hangs up on a lying tar: PREMATURE_CLOSE is expected
            pack.pipe(res);
            for (const { name, data } of entries(server))
                pack.entry({ name, size: data.length, mode: 0o644 }, data);
            pack.finalize();
            return true;
        };
        // Two new blobs, all of what the release adds: the agent takes the release pack. A retry
        // that lacks only `two` (`one` may be in the shared cache by then) asks for it alone.
        server.override(new RegExp(`^GET /v1/apps/${app}/releases/2/pack`), send);
        server.override(new RegExp(`^GET /v1/blobs/${shaOf(server, 'two\n')}$`), (_req, res) => {
            res.writeHead(200, { 'content-type': 'application/octet-stream' });
            res.end('owt\n');
            return true;
        });
    };
}
const TWO_NEW = { ...GOOD, 'new/one.txt': 'one\n', 'new/two.txt': 'two\n' };
const shaOf = (server, content) => server.entriesOf({ x: content })[0].sha256;
const BLOB_CASES = [
    {
        app: 'pack-oversize-entry',
        code: 'CHECKSUM_MISMATCH',
        next: TWO_NEW,
        lie: lyingTar((server) => [
            { name: shaOf(server, 'one\n'), data: Buffer.from('one\n') },
            { name: shaOf(server, 'two\n'), data: Buffer.alloc(2 * 1024 * 1024, 0x54) },
        ]),
    },
    {
        app: 'pack-wrong-bytes',
        code: 'CHECKSUM_MISMATCH',
        next: TWO_NEW,
        lie: lyingTar((server) => [
            { name: shaOf(server, 'one\n'), data: Buffer.from('one\n') },
            { name: shaOf(server, 'two\n'), data: Buffer.from('owt\n') },
        ]),
    },
    {
        app: 'pack-path-names',
        code: 'SERVER_ERROR',
        next: TWO_NEW,
        lie: lyingTar((server) => [
            { name: `../../../../victim/${shaOf(server, 'one\n')}`, data: Buffer.from('one\n') },
            { name: '../../../../victim/secret.txt', data: Buffer.from('pwned\n') },
        ]),
    },
    {
        app: 'blob-endless',
        code: 'CHECKSUM_MISMATCH',
        next: { ...GOOD, 'big.txt': 'endless\n' },
        lie: lyingBlob('endless\n', (res) => {
            res.writeHead(200, { 'content-type': 'application/octet-stream' });
            const chunk = Buffer.alloc(64 * 1024, 0x41);
            const pump = () => {
                while (!res.destroyed && res.write(chunk))
                    ;
                if (!res.destroyed)
                    res.once('drain', pump);
            };
            pump();
        }),
    },
    {
        app: 'blob-endless-large',
        code: 'CHECKSUM_MISMATCH',
        next: { ...GOOD, 'large.bin': 'L'.repeat(300 * 1024) },
        lie: lyingBlob('L'.repeat(300 * 1024), (res) => {
            res.writeHead(200, { 'content-type': 'application/octet-stream' });
            const chunk = Buffer.alloc(64 * 1024, 0x4c);
            const pump = () => {
                while (!res.destroyed && res.write(chunk))
                    ;
                if (!res.destroyed)
                    res.once('drain', pump);
            };
            pump();
        }),
    },
    {
        app: 'blob-one-byte-more',
        code: 'CHECKSUM_MISMATCH',
        next: { ...GOOD, 'more.txt': 'exactly\n' },
        lie: lyingBlob('exactly\n', (res) => {
            res.writeHead(200, { 'content-type': 'application/octet-stream' });
            res.end('exactly\n!');
        }),
    },
    {
        app: 'blob-wrong-bytes',
        code: 'CHECKSUM_MISMATCH',
        next: { ...GOOD, 'wrong.txt': 'right\n' },
        lie: lyingBlob('right\n', (res) => {
            res.writeHead(200, { 'content-type': 'application/octet-stream' });
            res.end('wrong\n');
        }),
    },
    {
        app: 'blob-short',
        code: 'CHECKSUM_MISMATCH',
        next: { ...GOOD, 'short.txt': 'complete\n' },
        lie: lyingBlob('complete\n', (res) => {
            res.writeHead(200, { 'content-type': 'application/octet-stream' });
            res.end('comp');
        }),
    },
];
/** A directory next to --root with content the agent must never touch. */
async function makeVictim(base) {
    const victim = join(base, 'victim');
    await mkdir(join(victim, 'sub'), { recursive: true });
    await writeFile(join(victim, 'secret.txt'), 'do not touch\n');
    await writeFile(join(victim, 'sub/data.bin'), Buffer.alloc(1000, 7));
    return victim;
}
async function expectRefused(t, agent, app, code, before) {
    t.equal(await heldSeq(agent.root, app), 1, `${app}: release 1 stays current`);
    t.same(await snapshot(join(agent.root, 'apps', app, 'current')), before, `${app}: current serves release 1 unchanged`);
    t.ok((await metric(agent.url, 'codesync_agent_sync_failures_total', { app, reason: code })) >= 1, `${app}: refused with ${code}`);
}
function failedWith(agent, app, code) {
    return waitFor(`${app}: a ${code} failure`, async () => (await metric(agent.url, 'codesync_agent_sync_failures_total', { app, reason: code })) >= 1);
}
t.test('every lie of a hostile server is refused with its code; nothing outside --root changes and current keeps serving', async (t) => {
    const base = tempDir(t, 'codesync-hostile-');
    const victim = await makeVictim(base);
    const victimBefore = await snapshot(victim);
    const server = await new HostileServer().start(t);
    const cases = [...DELTA_CASES, ...BLOB_CASES];
    for (const { app } of cases)
        server.publish(app, GOOD);
    const agent = await startAgent(t, server.url, { root: join(base, 'root') });
    const before = new Map();
    await Promise.all(cases.map(({ app }) => waitForSeq(agent, app, 1)));
    for (const { app } of cases)
        before.set(app, await snapshot(join(agent.root, 'apps', app, 'current')));
    for (const { app, lie, next } of cases) {
        lie(server, app);
        server.publish(app, next ?? NEXT);
    }
    await Promise.all(cases.map(({ app, code }) => failedWith(agent, app, code)));
    for (const { app, code } of cases)
        await expectRefused(t, agent, app, code, before.get(app));
    // Stopped so no retry is mid-download while the cache is looked at.
    await agent.proc.stop();
    t.same(await readdir(join(agent.root, 'objects/tmp')), [], 'nothing partial is left in objects/tmp');
    t.same(await snapshot(victim), victimBefore, 'the directory next to --root is unchanged');
    t.same((await readdir(base)).sort(), ['root', 'victim'], 'nothing was created next to --root');
    t.notOk(agent.proc.logs.some((line) => JSON.stringify(line).includes('"reason":"INTERNAL"')), 'no lie surfaced as INTERNAL');
});
t.test('names, seqs and digests from the listing and events pass the protocol rules before use', async (t) => {
    const base = tempDir(t, 'codesync-hostile-');
    const victim = await makeVictim(base);
    const victimBefore = await snapshot(victim);
    const server = await new HostileServer().start(t);
    server.publish('shop', GOOD);
    const latest = (seq, digest = `sha256:${'1'.repeat(64)}`) => ({ app: 'x', seq, digest, createdAt: new Date().toISOString(), meta: {}, files: 0, bytes: 0 });
    server.extraListing.push({ name: '../../escaped-app', nodeSelector: '', keepReleases: 3, createdAt: '', latest: latest(1) }, { name: '..', nodeSelector: '', keepReleases: 3, createdAt: '', latest: latest(1) }, { name: 'Upper', nodeSelector: '', keepReleases: 3, createdAt: '', latest: latest(1) }, { name: 'neg-seq', nodeSelector: '', keepReleases: 3, createdAt: '', latest: latest(-1) }, { name: 'frac-seq', nodeSelector: '', keepReleases: 3, createdAt: '', latest: latest(1.5) }, { name: 'huge-seq', nodeSelector: '', keepReleases: 3, createdAt: '', latest: latest(1e300) }, { name: 'bad-digest', nodeSelector: '', keepReleases: 3, createdAt: '', latest: latest(1, 'md5:abc') });
    const agent = await startAgent(t, server.url, { root: join(base, 'root') });
    await waitForSeq(agent, 'shop', 1);
    const current = await snapshot(join(agent.root, 'apps/shop/current'));
    server.sendEvent('release', { app: '../../escaped-event', seq: 1, digest: `sha256:${'1'.repeat(64)}`, createdAt: '' });
    server.sendEvent('release', { app: 'shop', seq: '2', digest: `sha256:${'1'.repeat(64)}`, createdAt: '' });
    server.sendEvent('app', { name: '../../escaped-app-event', nodeSelector: '', keepReleases: 3, createdAt: '', latest: null });
    const refused = (code, app) => agent.proc.waitForLog((line) => line.code === code && line.app === JSON.stringify(app));
    await refused('INVALID_APP_NAME', '../../escaped-app');
    await refused('INVALID_APP_NAME', '..');
    await refused('INVALID_APP_NAME', 'Upper');
    await refused('INVALID_SEQ', 'neg-seq');
    await refused('INVALID_SEQ', 'frac-seq');
    await refused('INVALID_SEQ', 'huge-seq');
    await refused('INVALID_SHA256', 'bad-digest');
    await refused('INVALID_APP_NAME', '../../escaped-event');
    await refused('INVALID_SEQ', 'shop');
    await refused('INVALID_APP_NAME', '../../escaped-app-event');
    t.pass('every hostile name, seq and digest was refused and logged with its code');
    t.same(await readdir(join(agent.root, 'apps')), ['shop'], 'only the valid app has a directory');
    t.same((await readdir(base)).sort(), ['root', 'victim'], 'nothing was created next to --root');
    t.same(await snapshot(victim), victimBefore, 'the directory next to --root is unchanged');
    t.same(await snapshot(join(agent.root, 'apps/shop/current')), current, 'current still serves release 1');
    t.equal(JSON.parse(await readFile(join(agent.root, 'apps/shop/state.json'), 'utf8')).seq, 1);
});
/** Resident memory of a process in MiB (Linux). */
async function rssMiB(pid) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
}
t.test('an event stream that never ends a line (or an event) is dropped at 1 Mi characters and reconnected; memory stays flat', async (t) => {
    const base = tempDir(t, 'codesync-hostile-');
    const server = await new HostileServer().start(t);
    server.publish('shop', GOOD);
    let connections = 0;
    const endless = (line) => (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        // 64 MiB at most: far past the bound, and a test that fails does not fill the machine.
        let sent = 0;
        const pump = () => {
            while (!res.destroyed && sent < 64 * 1024 * 1024 && res.write(line))
                sent += line.length;
            if (!res.destroyed && sent < 64 * 1024 * 1024)
                res.once('drain', pump);
        };
        res.write('event: release\ndata: ');
        pump();
        return true;
    };
    const endlessLine = endless(Buffer.alloc(64 * 1024, 0x41));
    const endlessEvent = endless(Buffer.from(`${'B'.repeat(1000)}\ndata: `));
    server.override(/^GET \/v1\/events/, (req, res) => {
        connections++;
        if (connections === 2)
            return endlessLine(req, res);
        if (connections === 3)
            return endlessEvent(req, res);
        return false;
    });
    const agent = await startAgent(t, server.url, { root: join(base, 'root') });
    await waitForSeq(agent, 'shop', 1);
    const before = await rssMiB(agent.proc.child.pid);
    // Drop the honest first stream: the agent reconnects into the endless ones.
    server.dropStreams();
    const dropped = () => agent.proc.logs.filter((line) => line.msg === 'event stream failed; reconnecting' && line.code === 'BODY_TOO_LARGE').length;
    await waitFor('both endless streams dropped with BODY_TOO_LARGE', async () => dropped() >= 2);
    await waitFor('a fourth, honest connection', async () => connections >= 4 && server.streamCount >= 1);
    const after = await rssMiB(agent.proc.child.pid);
    t.ok(after - before < 64, `memory stays flat (${Math.round(before)} MiB before, ${Math.round(after)} MiB after)`);
    const seq2 = server.publish('shop', NEXT);
    await waitForSeq(agent, 'shop', seq2);
    t.pass('the agent follows releases again once an honest stream is back');
});
//# sourceMappingURL=hostile-server.test.js.map