import t from 'tap';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppLayout } from '../../agent/cache/layout.js';
import { switchCurrent } from '../../agent/sync/switcher.js';
import { CodesyncProcess } from '../helpers/codesync-process.js';
import { shortTempDir, SocketFixture } from './fixtures/socket-fixture.js';
import { badResponses, startNginx, startPhpFpm, startPhpLoad } from './fixtures/web-servers.js';
/**
 * The pod side of a switch with real nginx and php-fpm (opcache on, timestamps never checked):
 * the agent's own switcher flips `current`, the feed announces it on the real socket, and a real
 * `codesync reload-hook` sidecar sends USR2 to php-fpm. test/socket/agent-e2e.test.ts runs the
 * same pod against a real server, agent and publish.
 */
/** index.php and lib.php each print the release they belong to: a mixed response shows. */
async function writeRelease(layout, seq) {
    const dir = layout.releaseDir(seq);
    await mkdir(join(dir, 'public'), { recursive: true });
    await writeFile(join(dir, 'lib.php'), `<?php\nfunction lib_release() { return ${seq}; }\n`);
    await writeFile(join(dir, 'public', 'index.php'), `<?php\n$index_release = ${seq};\nrequire __DIR__ . '/../lib.php';\necho "index=$index_release lib=" . lib_release() . "\\n";\n`);
}
t.test('10 switches under continuous requests: new code after each ack, no 5xx, never two releases in one response', async (t) => {
    const dir = await shortTempDir(t);
    const layout = new AppLayout('shop', join(dir, 'apps', 'shop'));
    await writeRelease(layout, 1);
    await switchCurrent(layout, layout.currentTarget(1));
    const fixture = new SocketFixture(join(dir, 'run', 'codesync.sock'));
    await fixture.start();
    t.teardown(() => fixture.stop());
    const activate = (seq) => fixture.feed.activate({ app: 'shop', seq, digest: `sha256:${String(seq).padStart(64, '0')}`, path: layout.current, activatedAt: new Date().toISOString() });
    activate(1);
    const fpm = await startPhpFpm(t, join(dir, 'php'));
    const nginx = await startNginx(t, join(dir, 'nginx'), layout.dir, fpm.socket);
    const hook = new CodesyncProcess(['reload-hook', '--app', 'shop', '--socket', fixture.path, '--pod', 'shop-web-0', '--signal', 'USR2', '--pid-file', fpm.pidFile]);
    t.teardown(() => hook.stop());
    await hook.waitForLog((line) => line.msg === 'subscribed');
    const load = startPhpLoad(t, nginx.url, 4);
    const get = load.get;
    t.same(await get(), { status: 200, body: 'index=1 lib=1' });
    const seen = [];
    for (let seq = 2; seq <= 11; seq++) {
        await writeRelease(layout, seq);
        await switchCurrent(layout, layout.currentTarget(seq));
        activate(seq);
        const ack = await fixture.ackFor('shop', seq);
        t.match(ack, { pod: 'shop-web-0', ok: true, message: /^sent SIGUSR2 to pid \d+$/ });
        seen.push((await get()).body);
    }
    const responses = await load.stop();
    t.same(seen, Array.from({ length: 10 }, (_, i) => `index=${i + 2} lib=${i + 2}`), 'the next response after each ack shows the new code');
    t.same(badResponses(responses), [], `no 5xx and no mixed response among ${responses.length}`);
    t.ok(responses.length >= 10, 'requests kept flowing during the switches');
    t.equal(hook.logs.filter((line) => line.msg === 'reload finished').length, 10, 'one reload per switch');
});
//# sourceMappingURL=nginx-php.test.js.map