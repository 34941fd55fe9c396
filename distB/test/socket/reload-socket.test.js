import t from 'tap';
import { once } from 'node:events';
import { lstat, readFile, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { spawnNode } from '../helpers/codesync-process.js';
import { curl, shortTempDir, SocketFixture } from './fixtures/socket-fixture.js';
import { waitFor } from '../helpers/wait-for.js';
/** Opens `GET /v1/events` and collects the raw stream text. */
function openEvents(socketPath, query) {
    return new Promise((resolve, reject) => {
        const req = request({ socketPath, path: `/v1/events${query}` }, (res) => {
            let text = '';
            res.setEncoding('utf8').on('data', (chunk) => (text += chunk));
            resolve({ text: () => text, close: () => req.destroy() });
        });
        req.on('error', reject).end();
    });
}
function dataOf(text) {
    return [...text.matchAll(/^event: activated\ndata: (.*)$/gm)].map((match) => JSON.parse(match[1]));
}
t.test('socket file: directory created 0755, socket 0660, group set, removed on close', async (t) => {
    const dir = await shortTempDir(t);
    const path = join(dir, 'run', 'codesync', 'codesync.sock');
    const fixture = new SocketFixture(path);
    await fixture.start({ group: 'daemon' });
    const daemonGid = Number((await readFile('/etc/group', 'utf8')).split('\n').find((line) => line.startsWith('daemon:')).split(':')[2]);
    const dirStat = await stat(join(dir, 'run', 'codesync'));
    const sockStat = await lstat(path);
    t.equal(dirStat.mode & 0o777, 0o755);
    t.ok(sockStat.isSocket());
    t.equal(sockStat.mode & 0o777, 0o660);
    t.equal(sockStat.gid, daemonGid);
    await fixture.stop();
    await t.rejects(lstat(path), { code: 'ENOENT' });
});
t.test('app state, long-poll wait and acks over curl --unix-socket', async (t) => {
    const path = join(await shortTempDir(t), 'agent.sock');
    const fixture = new SocketFixture(path);
    await fixture.start();
    t.teardown(() => fixture.stop());
    const missing = await curl(path, '/v1/apps/hello');
    t.equal(missing.status, 404);
    t.match(JSON.parse(missing.body), { error: { code: 'APP_NOT_HELD' } });
    // Many init containers wait at once (a node that just joined); every one is answered.
    const waiting = Array.from({ length: 20 }, () => curl(path, '/v1/apps/hello/wait?timeout=30'));
    await waitFor('the waiters to be registered', () => fixture.socket.waiting() === 20);
    fixture.activate('hello', 3, '/srv/apps/hello/current');
    for (const waited of await Promise.all(waiting)) {
        t.equal(waited.status, 200);
        t.match(JSON.parse(waited.body), { seq: 3, path: '/srv/apps/hello/current', digest: /^sha256:/, activatedAt: String });
    }
    t.equal(fixture.socket.waiting(), 0, 'no waiter is left behind');
    const present = await curl(path, '/v1/apps/hello');
    t.same(Object.keys(JSON.parse(present.body)).sort(), ['activatedAt', 'digest', 'path', 'seq']);
    t.equal((await curl(path, '/v1/apps/hello/wait?timeout=0')).status, 200, 'a present app answers a wait at once');
    const timedOut = await curl(path, '/v1/apps/other/wait?timeout=0.2');
    t.equal(timedOut.status, 408);
    t.match(JSON.parse(timedOut.body), { error: { code: 'WAIT_TIMEOUT' } });
    const acked = await curl(path, '/v1/apps/hello/acks', ['-H', 'content-type: application/json', '-d', '{"pod":"web-1","seq":3,"ok":false,"message":"reload failed"}']);
    t.equal(acked.status, 202);
    t.match(fixture.feed.acksFor('hello'), [{ pod: 'web-1', seq: 3, ok: false, message: 'reload failed' }]);
    const cases = [
        ['/v1/apps/hello/acks', ['-d', '{"pod":"web-1"'], 400, 'INVALID_JSON'],
        ['/v1/apps/hello/acks', ['-d', '{"pod":"web-1","seq":3}'], 400, 'INVALID_REQUEST'],
        ['/v1/apps/hello/acks', ['-d', '{"pod":"","seq":3,"ok":true}'], 400, 'INVALID_REQUEST'],
        ['/v1/apps/hello/acks', ['-d', '[]'], 400, 'INVALID_REQUEST'],
        ['/v1/apps/other/acks', ['-d', '{"pod":"web-1","seq":1,"ok":true}'], 404, 'APP_NOT_HELD'],
        ['/v1/apps/Not_An_App', [], 400, 'INVALID_APP_NAME'],
        ['/v1/apps/%E0%A4%A', [], 400, 'INVALID_APP_NAME'],
        ['/v1/events?app=BAD', [], 400, 'INVALID_APP_NAME'],
        ['/v1/apps/hello/wait?timeout=soon', [], 400, 'INVALID_REQUEST'],
        ['/v1/apps/hello/wait?timeout=-1', [], 400, 'INVALID_REQUEST'],
        ['/v1/nothing', [], 404, 'NOT_FOUND'],
        ['/v1/apps/hello', ['-X', 'DELETE'], 404, 'NOT_FOUND'],
    ];
    for (const [route, args, status, code] of cases) {
        const answer = await curl(path, route, args);
        t.equal(answer.status, status, `${args.join(' ')} ${route} → ${status}`);
        t.match(JSON.parse(answer.body), { error: { code, message: String } }, `${route} → ${code}`);
    }
});
t.test('events: catch-up of the current state, then each switch of the followed apps, heartbeats', async (t) => {
    const path = join(await shortTempDir(t), 'agent.sock');
    const fixture = new SocketFixture(path);
    const registry = new Registry();
    const socket = await fixture.start({ heartbeatSeconds: 0.1, registry });
    t.teardown(() => fixture.stop());
    fixture.activate('hello', 1);
    const hello = await openEvents(path, '?app=hello');
    const all = await openEvents(path, '');
    await waitFor('two subscribers', () => socket.subscribers('hello') === 2);
    t.match(await registry.metrics(), /codesync_agent_reload_subscribers\{app="hello"\} 2/);
    fixture.activate('other', 1);
    fixture.activate('hello', 2);
    await waitFor('events to arrive', () => dataOf(hello.text()).length === 2 && dataOf(all.text()).length === 3);
    t.same(dataOf(hello.text()), [
        { app: 'hello', seq: 1, digest: `sha256:${'1'.padStart(64, '0')}`, path: '/var/lib/codesync/apps/hello/current', initial: true },
        { app: 'hello', seq: 2, digest: `sha256:${'2'.padStart(64, '0')}`, path: '/var/lib/codesync/apps/hello/current' },
    ]);
    t.same(dataOf(all.text()).map((data) => [data.app, data.seq, data.initial ?? false]), [['hello', 1, true], ['other', 1, false], ['hello', 2, false]]);
    await waitFor('a heartbeat comment', () => hello.text().includes(': heartbeat\n\n'));
    hello.close();
    all.close();
    await waitFor('subscribers to be gone', () => socket.subscribers('hello') === 0);
    t.match(await registry.metrics(), /codesync_agent_reload_subscribers\{app="hello"\} 0/);
});
t.test('a subscriber that stops reading is dropped; the others and the switches go on', async (t) => {
    const path = join(await shortTempDir(t), 'agent.sock');
    const fixture = new SocketFixture(path);
    const socket = await fixture.start({ maxBufferedBytes: 64 * 1024 });
    t.teardown(() => fixture.stop());
    const stuck = createConnection(path);
    await once(stuck, 'connect');
    stuck.write('GET /v1/events?app=hello HTTP/1.1\r\nHost: codesync\r\n\r\n');
    stuck.pause();
    const reader = await openEvents(path, '?app=hello');
    await waitFor('both subscribers', () => socket.subscribers('hello') === 2);
    // 300 switches of ~8 KiB frames: far past the kernel's socket buffer plus the bound. Switches
    // come a turn of the event loop apart, as real ones do, so the reading subscriber keeps up.
    const longPath = `/srv/${'x'.repeat(8000)}`;
    for (let seq = 1; seq <= 300; seq++) {
        fixture.activate('hello', seq, longPath);
        await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await waitFor('the stuck subscriber to be dropped', () => socket.subscribers('hello') === 1);
    await waitFor('the reading subscriber to get every event', () => dataOf(reader.text()).length === 300);
    t.equal(dataOf(reader.text()).at(-1)?.seq, 300);
    reader.close();
    stuck.destroy();
});
t.test('a stale socket from a crashed agent is replaced; a live one is refused with SOCKET_IN_USE', async (t) => {
    const dir = await shortTempDir(t);
    const path = join(dir, 'agent.sock');
    const crashed = spawnNode(['-e', `require('node:net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await once(crashed.stdout, 'data');
    crashed.kill('SIGKILL');
    await once(crashed, 'exit');
    t.ok((await lstat(path)).isSocket(), 'the crashed listener left its socket file');
    const first = new SocketFixture(path);
    await first.start();
    t.teardown(() => first.stop());
    first.activate('hello', 7);
    t.equal((await curl(path, '/v1/apps/hello')).status, 200, 'the stale socket was replaced');
    const second = new SocketFixture(path);
    await t.rejects(second.start(), { code: 'SOCKET_IN_USE', message: /another agent is listening on/ });
    t.equal((await curl(path, '/v1/apps/hello')).status, 200, 'the live agent keeps serving');
    const notSocket = join(dir, 'file.sock');
    await writeFile(notSocket, 'keep me');
    await t.rejects(new SocketFixture(notSocket).start(), { code: 'SOCKET_IN_USE', message: /not a socket/ });
    t.equal(await readFile(notSocket, 'utf8'), 'keep me', 'a file that is not a socket is never removed');
});
//# sourceMappingURL=reload-socket.test.js.map