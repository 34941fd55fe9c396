import t from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { chmodSync, existsSync, lstatSync, renameSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { CodesyncProcess } from '../helpers/codesync-process.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { freePort, startRsyncDaemon } from '../helpers/rsync-daemon.js';
import { waitFor } from '../helpers/wait-for.js';
import { getJson, postJson } from './harness.js';
// Imports from a real `rsync --daemon` into a real `codesync server` child (docs/migrate-from-rsync.md).
const PASSWORD = 'pw-7f3a9c-never-logged';
const work = mkdtempSync(join(tmpdir(), 'codesync-import-test-'));
t.teardown(() => rmSync(work, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 }));
const dirs = { module: join(work, 'module'), secret: join(work, 'secret'), links: join(work, 'links'), moving: join(work, 'moving'), badName: join(work, 'bad-name'), scratch: join(work, 'scratch'), daemon: join(work, 'daemon'), data: join(work, 'data'), passwords: join(work, 'passwords'), cwd: join(work, 'cwd') };
for (const dir of Object.values(dirs))
    mkdirSync(dir, { recursive: true });
/** Names a shell would act on: imported as data, never run. */
const HOSTILE_NAMES = ['semi;touch pwned-semi', '$(touch pwned-dollar)', '`touch pwned-tick`', 'new\nline', '-rf', '--rsh=touch pwned-rsh', 'sp ace', `quo'te"s`, 'glob*?[x]', 'amp&pipe|lt<gt>'];
const EXCLUDE = ['*.log', 'cache/'];
function write(root, path, data, mode = 0o644) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), data);
    chmodSync(join(root, path), mode);
}
// The release host's tree: modes, a symlink, hostile names, excluded paths and a fifo (skipped).
write(dirs.module, 'index.php', '<?php echo "hi";\n');
write(dirs.module, 'bin/run.sh', '#!/bin/sh\necho run\n', 0o755);
write(dirs.module, 'conf/private.ini', 'secret=1\n', 0o600);
write(dirs.module, 'lib/big.bin', randomBytes(300_000));
for (const name of HOSTILE_NAMES)
    write(dirs.module, `odd/${name}`, `content of ${name}\n`);
write(dirs.module, 'debug.log', 'excluded\n');
write(dirs.module, 'cache/tmp.bin', 'excluded\n');
writeFileSync(Buffer.concat([Buffer.from(`${dirs.module}/cache/`), Buffer.from([0x6e, 0xff, 0x6f])]), 'not UTF-8, but excluded\n');
mkdirSync(join(dirs.module, 'empty'));
symlinkSync('../index.php', join(dirs.module, 'lib/index-link.php'));
execFileSync('mkfifo', [join(dirs.module, 'odd/a-fifo')]);
write(dirs.secret, 'only-with-password.txt', 'authorised\n');
write(dirs.links, 'ok.txt', 'fine\n');
symlinkSync('/etc/passwd', join(dirs.links, 'escape'));
writeFileSync(Buffer.concat([Buffer.from(`${dirs.badName}/`), Buffer.from([0x6e, 0xff, 0x6f])]), 'a name that is not UTF-8\n');
writeFileSync(join(dirs.passwords, 'release-host.pw'), `${PASSWORD}\n`);
writeFileSync(join(dirs.passwords, 'wrong.pw'), 'not-it\n');
writeFileSync(join(work, 'rsyncd.secrets'), `deploy:${PASSWORD}\n`, { mode: 0o600 });
let daemon;
let server;
let url;
t.before(async () => {
    daemon = await startRsyncDaemon(dirs.daemon, {
        code: { path: dirs.module },
        secret: { path: dirs.secret, options: { 'auth users': 'deploy', 'secrets file': join(work, 'rsyncd.secrets') } },
        links: { path: dirs.links },
        moving: { path: dirs.moving },
        'bad-name': { path: dirs.badName },
    });
    // cwd is a scratch dir, so a shell that ran `touch` would leave its file where the test looks.
    server = new CodesyncProcess(['server', '--data', dirs.data, '--listen', '127.0.0.1:0', '--max-concurrent-pulls', '0', '--import-password-dir', dirs.passwords], { cwd: dirs.cwd, env: { CODESYNC_LOG_LEVEL: 'info' } });
    url = await server.ready();
});
t.teardown(async () => {
    await server?.stop('SIGKILL');
    await daemon?.kill();
});
const source = (path) => `rsync://127.0.0.1:${daemon.port}/${path}`;
const putApp = (app, spec) => getJson(`${url}/v1/apps/${app}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec) });
const importNow = (app, body = {}) => postJson(`${url}/v1/apps/${app}/imports`, body);
const latestSeq = async (app) => (await getJson(`${url}/v1/apps/${app}`)).body.latest?.seq ?? 0;
/** What the module should publish as: the publish rules applied by hand (modes like git, excludes, no fifo). */
function expectedEntries(root, excluded) {
    const out = [];
    const walk = (dir, prefix) => {
        for (const name of readdirSync(dir)) {
            const path = prefix ? `${prefix}/${name}` : name;
            const st = lstatSync(join(dir, name));
            if (excluded(path, st.isDirectory()))
                continue;
            if (st.isDirectory()) {
                out.push({ path, type: 'dir', mode: 0o755 });
                walk(join(dir, name), path);
            }
            else if (st.isSymbolicLink())
                out.push({ path, type: 'symlink', mode: 0o777, target: readlinkSync(join(dir, name)) });
            else if (st.isFile()) {
                const data = readFileSync(join(dir, name));
                out.push({ path, type: 'file', mode: st.mode & 0o111 ? 0o755 : 0o644, size: data.length, sha256: createHash('sha256').update(data).digest('hex') });
            }
        }
    };
    walk(root, '');
    return out.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}
const moduleExcluded = (path, dir) => path.endsWith('.log') || (dir && path === 'cache');
async function manifestOf(app, seq) {
    return (await getJson(`${url}/v1/apps/${app}/releases/${seq}/manifest`)).body;
}
t.test('an import publishes the module byte for byte and mode for mode, hostile names as data, fifo skipped and counted', async (t) => {
    t.equal((await putApp('web', { importSource: source('code'), importExclude: EXCLUDE })).status, 201);
    const first = await importNow('web', { meta: { commit: 'abc123' } });
    t.equal(first.status, 201, JSON.stringify(first.body));
    t.equal(first.body.seq, 1);
    t.equal(first.body.skipped, 1, 'the fifo is skipped and counted');
    const manifest = await manifestOf('web', 1);
    t.same(manifest.entries, expectedEntries(dirs.module, moduleExcluded));
    t.same(manifest.meta, { importSource: `rsync://127.0.0.1:${daemon.port}/code/`, commit: 'abc123' });
    for (const entry of manifest.entries.filter((e) => e.type === 'file')) {
        const blob = Buffer.from(await (await fetch(`${url}/v1/blobs/${entry.sha256}`)).arrayBuffer());
        t.same(blob, readFileSync(join(dirs.module, entry.path)), `blob of ${JSON.stringify(entry.path)}`);
    }
    for (const name of HOSTILE_NAMES)
        t.ok(manifest.entries.some((e) => e.path === `odd/${name}`), `${JSON.stringify(name)} imported as a name`);
    t.notOk(readdirSync(dirs.cwd).length, 'no command ran in the server cwd');
    t.notOk(readdirSync(dirs.module).some((name) => name.startsWith('pwned')), 'nor in the module');
    const skippedLog = await server.waitForLog((line) => line.msg?.startsWith('import skipped') === true);
    t.equal(skippedLog.skipped, 1);
    t.same(skippedLog.paths, ['odd/a-fifo']);
    const again = await importNow('web');
    t.equal(again.status, 200);
    t.same(again.body, { seq: 1, digest: first.body.digest, unchanged: true, skipped: 1 });
});
t.test('a change on the release host publishes a new seq with exactly that change', async (t) => {
    write(dirs.module, 'index.php', '<?php echo "v2";\n');
    write(dirs.module, 'new/added.php', 'added\n');
    rmSync(join(dirs.module, 'bin/run.sh'));
    const next = await importNow('web');
    t.equal(next.status, 201, JSON.stringify(next.body));
    t.equal(next.body.seq, 2);
    const delta = (await getJson(`${url}/v1/apps/web/releases/2/manifest?base=1`)).body;
    t.same(delta.added.map((e) => e.path), ['new', 'new/added.php']);
    t.same(delta.changed.map((e) => e.path), ['index.php']);
    t.same(delta.removed, ['bin/run.sh']);
    t.same((await manifestOf('web', 2)).entries, expectedEntries(dirs.module, moduleExcluded));
});
t.test('hostile sources are refused with a code and run nothing', async (t) => {
    const port = daemon.port;
    const hostile = [
        'rsync://h/m;touch pwned-a',
        `rsync://127.0.0.1:${port}/code/$(touch pwned-b)`,
        `rsync://127.0.0.1:${port}/code/\`touch pwned-c\``,
        `rsync://127.0.0.1:${port}/code\ntouch pwned-d`,
        `rsync://127.0.0.1:${port}/code/--rsh=touch pwned-e`,
        `rsync://127.0.0.1:${port}/code/--rsh=sh`,
        `rsync://127.0.0.1:${port}/code/-e`,
        `rsync://127.0.0.1:${port}/code/../..`,
        `rsync://127.0.0.1:${port}/code/a|touch pwned-f`,
        `rsync://127.0.0.1:${port}/code/*`,
        'rsync://deploy:secret@127.0.0.1/code',
        'ssh://127.0.0.1/code',
        '127.0.0.1::code',
        '/etc',
    ];
    for (const raw of hostile) {
        const answer = await importNow('web', { source: raw });
        t.equal(answer.status, 400, JSON.stringify(raw));
        t.equal(answer.body.error?.code, 'INVALID_IMPORT_SOURCE', JSON.stringify(raw));
        t.notMatch(answer.body.error?.message ?? '', /secret/, 'a password in the URL is not echoed');
    }
    const put = await putApp('web', { importSource: hostile[0] });
    t.equal(put.status, 400, 'an app cannot be given a hostile importSource either');
    for (const dir of [dirs.cwd, dirs.module, dirs.data, join(dirs.data, 'imports', 'web')]) {
        t.notOk(readdirSync(dir).some((name) => name.startsWith('pwned')), `nothing created in ${dir}`);
    }
    t.equal(await latestSeq('web'), 2, 'nothing published');
});
t.test('rsync failures map to clear codes and publish nothing', async (t) => {
    t.equal((await putApp('fail', {})).status, 201);
    const cases = [
        [source('no-such-module'), 'IMPORT_MODULE_NOT_FOUND'],
        [source('code/no/such/dir'), 'IMPORT_PARTIAL'],
        [`rsync://127.0.0.1:${await freePort()}/code`, 'IMPORT_UNREACHABLE'],
        [source('links'), 'INVALID_SYMLINK'],
        [source('bad-name'), 'INVALID_PATH'],
    ];
    for (const [from, code] of cases) {
        const answer = await importNow('fail', { source: from });
        t.equal(answer.body.error?.code, code, `${from}: ${answer.body.error?.message}`);
    }
    t.equal(await latestSeq('fail'), 0);
});
t.test('auth: the user in the URL, the password from the named file, never in a log or an answer', async (t) => {
    const authSource = `rsync://deploy@127.0.0.1:${daemon.port}/secret`;
    t.equal((await putApp('auth', { importSource: authSource })).status, 201);
    const without = await importNow('auth');
    t.equal(without.body.error?.code, 'IMPORT_AUTH_FAILED', 'no password file: refused by the daemon');
    await putApp('auth', { importPasswordFile: 'wrong.pw' });
    t.equal((await importNow('auth')).body.error?.code, 'IMPORT_AUTH_FAILED');
    t.equal((await putApp('auth', { importPasswordFile: '../passwords/release-host.pw' })).status, 400, 'a path out of --import-password-dir is refused');
    await putApp('auth', { importPasswordFile: 'release-host.pw' });
    const ok = await importNow('auth');
    t.equal(ok.status, 201, JSON.stringify(ok.body));
    t.same((await manifestOf('auth', ok.body.seq)).entries.map((e) => e.path), ['only-with-password.txt']);
    const everything = JSON.stringify(server.logs) + server.stderr.join('\n') + JSON.stringify((await getJson(`${url}/v1/apps/auth`)).body) + (await (await fetch(`${url}/metrics`)).text());
    t.notOk(everything.includes(PASSWORD), 'the password is in no log line, answer or metric');
});
t.test('a marker file gates the import and is not published', async (t) => {
    t.equal((await putApp('marked', { importSource: source('code'), importExclude: EXCLUDE, importMarker: 'DEPLOY_DONE' })).status, 201);
    const early = await importNow('marked');
    t.equal(early.status, 409);
    t.equal(early.body.error?.code, 'IMPORT_INCOMPLETE');
    write(dirs.module, 'DEPLOY_DONE', 'build 42\n');
    const done = await importNow('marked');
    t.equal(done.status, 201, JSON.stringify(done.body));
    t.notOk((await manifestOf('marked', done.body.seq)).entries.some((e) => e.path === 'DEPLOY_DONE'));
    rmSync(join(dirs.module, 'DEPLOY_DONE'));
});
t.test('a release host being written is published only once a pass finds it unchanged', async (t) => {
    write(dirs.moving, 'stable.txt', 'stable\n');
    t.equal((await putApp('moving', { importSource: source('moving') })).status, 201);
    // CI writing all the time: every pass finds a new version (written aside, renamed in whole).
    let version = 0;
    const writer = setInterval(() => {
        writeFileSync(join(dirs.scratch, 'next'), `version ${++version}\n`);
        renameSync(join(dirs.scratch, 'next'), join(dirs.moving, 'busy.txt'));
    }, 2);
    const during = await importNow('moving').finally(() => clearInterval(writer));
    t.equal(during.status, 409, JSON.stringify(during.body));
    t.equal(during.body.error?.code, 'IMPORT_UNSTABLE');
    t.equal(await latestSeq('moving'), 0, 'nothing published while it moved');
    const settled = await importNow('moving');
    t.equal(settled.status, 201, JSON.stringify(settled.body));
    t.same((await manifestOf('moving', settled.body.seq)).entries, expectedEntries(dirs.moving, () => false));
    const log = await server.waitForLog((line) => line.msg === 'import published' && line.app === 'moving');
    t.ok(log.passes >= 1);
    t.equal((await getJson(`${url}/v1/apps/moving`, { method: 'DELETE' })).status, 204);
    const mirror = join(dirs.data, 'imports', 'moving');
    await waitFor('the deleted app\'s mirror to go', () => !existsSync(mirror));
    t.notOk(existsSync(mirror), 'a deleted app leaves no mirror behind');
});
t.test('a daemon killed mid-transfer publishes nothing', async (t) => {
    const bigModule = join(work, 'big-module');
    write(bigModule, 'huge.bin', randomBytes(4 * 1024 * 1024));
    const dying = await startRsyncDaemon(mkdtempSync(join(work, 'dying-')), { big: { path: bigModule } });
    t.teardown(() => dying.kill());
    // The daemon is real; a relay between it and the server stops forwarding after 256 KiB, so the
    // kill lands mid-file whatever the machine's speed.
    const relay = await stallingRelay(dying.port, 256 * 1024);
    t.teardown(() => relay.close());
    t.equal((await putApp('dying', {})).status, 201);
    const answer = importNow('dying', { source: `rsync://127.0.0.1:${relay.port}/big` });
    await relay.stalled;
    await dying.kill();
    relay.close();
    const failed = await answer;
    t.equal(failed.status, 502, JSON.stringify(failed.body));
    t.equal(failed.body.error?.code, 'IMPORT_INTERRUPTED');
    t.equal(await latestSeq('dying'), 0, 'nothing published');
});
t.test('the interval import picks up a change by itself, with metrics', async (t) => {
    t.equal((await putApp('web', { importInterval: '1s' })).status, 200);
    const mark = server.logs.length;
    write(dirs.module, 'index.php', '<?php echo "v3";\n');
    const published = await server.waitForLog((line) => line.msg === 'import published' && line.app === 'web' && line.trigger === 'interval' && server.logs.indexOf(line) >= mark);
    t.equal(published.seq, 3);
    const entries = (await manifestOf('web', 3)).entries;
    t.equal(entries.find((e) => e.path === 'index.php')?.sha256, createHash('sha256').update('<?php echo "v3";\n').digest('hex'));
    await putApp('web', { importInterval: '' });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    t.match(metrics, /codesync_server_imports_total\{app="web",result="published"\} [3-9]/);
    t.match(metrics, /codesync_server_imports_total\{app="web",result="unchanged"\} \d/);
    t.match(metrics, /codesync_server_imports_total\{app="fail",result="IMPORT_UNREACHABLE"\} 1/);
    t.match(metrics, /codesync_server_import_duration_seconds_count\{app="web"\} \d/);
});
t.test('codesync publish rsync://... triggers an import with --meta', async (t) => {
    write(dirs.module, 'index.php', '<?php echo "v4";\n');
    const result = await runCliInProcess(['publish', source('code'), '--server', url, '--app', 'web', '--meta', 'commit=def456']);
    t.equal(result.code, 0, result.stderr);
    const [seq, digest] = result.stdout.trim().split(' ');
    t.match(digest, /^sha256:[0-9a-f]{64}$/);
    t.same((await manifestOf('web', Number(seq))).meta, { importSource: `rsync://127.0.0.1:${daemon.port}/code/`, commit: 'def456' });
    const unknown = await runCliInProcess(['publish', source('code'), '--server', url, '--app', 'fresh']);
    t.match(unknown, { code: 1, stderr: /^codesync: APP_NOT_FOUND: / }, 'an import to an unknown app is refused like any publish');
    // The module holds names only an importExclude lets through (the first test's app sets one), so
    // this import is refused for its content: what matters is that it ran, against the new app.
    const created = await runCliInProcess(['publish', source('code'), '--server', url, '--app', 'fresh', '--create', '--selector', 'env=pre']);
    t.match(created, { code: 1, stderr: /^codesync: INVALID_PATH: / }, 'the import ran against the app --create made');
    t.match((await getJson(`${url}/v1/apps/fresh`)).body, { nodeSelector: 'env=pre' }, '--create made the app with its selector');
});
/** A TCP relay to `port` that stops forwarding downstream after `limit` bytes and resolves `stalled`. */
async function stallingRelay(port, limit) {
    let stall;
    const stalled = new Promise((resolve) => (stall = resolve));
    const sockets = new Set();
    const relay = createServer((client) => {
        const upstream = connect({ port, host: '127.0.0.1' });
        sockets.add(client).add(upstream);
        let forwarded = 0;
        client.pipe(upstream);
        upstream.on('data', (chunk) => {
            forwarded += chunk.length;
            client.write(chunk);
            if (forwarded >= limit) {
                upstream.pause();
                stall();
            }
        });
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
    });
    relay.listen(0, '127.0.0.1');
    await once(relay, 'listening');
    return {
        port: relay.address().port,
        stalled,
        close: () => {
            for (const socket of sockets)
                socket.destroy();
            relay.close();
        },
    };
}
//# sourceMappingURL=imports.test.js.map