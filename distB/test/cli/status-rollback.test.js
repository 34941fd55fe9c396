import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { publishFlags, startServer } from './server-fixture.js';
t.test('rollback publishes an older tree as a new seq; status shows apps and nodes', async (t) => {
    const dir = t.testdir({ data: {}, tree: { 'app.php': 'v1' } });
    const tree = join(dir, 'tree');
    const { url } = await startServer(t, join(dir, 'data'));
    const server = ['--server', url];
    const empty = await runCliInProcess(['status', ...server]);
    t.equal(empty.stdout, 'no apps\n');
    const v1 = (await runCliInProcess(['publish', tree, ...publishFlags(url, dir)])).stdout.trim().split(' ');
    writeFileSync(join(tree, 'app.php'), 'v2');
    const v2 = (await runCliInProcess(['publish', tree, ...publishFlags(url, dir)])).stdout.trim().split(' ');
    t.same([v1[0], v2[0]], ['1', '2']);
    const back = await runCliInProcess(['rollback', ...server, '--app', 'demo']);
    t.equal(back.code, 0, back.stderr);
    t.equal(back.stdout, `3 ${v1[1]}\n`, 'default: the release before the latest, as a new seq with its digest');
    const forward = await runCliInProcess(['rollback', ...server, '--app', 'demo', '--to', '2']);
    t.equal(forward.stdout, `4 ${v2[1]}\n`);
    const nothing = await runCliInProcess(['rollback', ...server, '--app', 'demo', '--to', '4']);
    t.match(nothing, { code: 1, stderr: /^codesync: NOTHING_TO_ROLL_BACK: / });
    const unknown = await runCliInProcess(['rollback', ...server, '--app', 'nope']);
    t.match(unknown, { code: 1, stderr: /^codesync: APP_NOT_FOUND: / });
    const list = await runCliInProcess(['status', ...server]);
    t.equal(list.code, 0, list.stderr);
    const [header, row] = list.stdout.trim().split('\n');
    t.match(header, /^APP\s+SEQ\s+DIGEST\s+PUBLISHED\s+SELECTOR$/);
    t.match(row, new RegExp(`^demo\\s+4\\s+${v2[1].slice(0, 19)}\\s+\\S+\\s+\\(all nodes\\)$`));
    const listJson = JSON.parse((await runCliInProcess(['status', ...server, '--json'])).stdout);
    t.match(listJson, [{ name: 'demo', latest: { seq: 4, digest: v2[1] } }]);
    const noNodes = await runCliInProcess(['status', ...server, '--app', 'demo']);
    t.match(noNodes.stdout, /^demo: latest seq 4 .*\nno node reports this app yet\n$/);
    // Two nodes report as agents do over the public API: one current, one behind with an error.
    const report = async (node, body) => {
        const response = await fetch(`${url}/v1/nodes/${node}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        t.ok(response.ok, `report of ${node}: ${response.status}`);
    };
    const now = new Date().toISOString();
    await report('node-a', { apps: { demo: { seq: 4, digest: v2[1], activatedAt: now } } });
    await report('node-b', { apps: { demo: { seq: 3, digest: v1[1], activatedAt: now, error: 'DISK_FULL: no space left' } } });
    const table = await runCliInProcess(['status', ...server, '--app', 'demo']);
    t.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trim().split('\n');
    t.match(lines[1], /^NODE\s+SEQ\s+LAG\s+LAST REPORT\s+ERROR$/);
    t.match(lines.find((l) => l.startsWith('node-a')), /^node-a\s+4\s+0\s+\S+\s+-$/);
    t.match(lines.find((l) => l.startsWith('node-b')), /^node-b\s+3\s+\d+s?\s+\S+\s+DISK_FULL: no space left$/);
    // Pods acknowledge reloads through the agent, which forwards them in its report.
    await report('node-a', {
        apps: { demo: { seq: 4, digest: v2[1], activatedAt: now, acks: [{ pod: 'web-1', seq: 4, ok: true }, { pod: 'web-2', seq: 4, ok: false, message: 'php-fpm reload failed' }] } },
    });
    const withAcks = (await runCliInProcess(['status', ...server, '--app', 'demo'])).stdout.trim().split('\n');
    t.match(withAcks[1], /^NODE\s+SEQ\s+LAG\s+LAST REPORT\s+ACKS OK\s+ACKS FAILED\s+ERROR$/);
    t.match(withAcks.find((l) => l.startsWith('node-a')), /^node-a\s+4\s+0\s+\S+\s+1\s+1\s+-$/);
    t.match(withAcks.find((l) => l.startsWith('node-b')), /^node-b\s+3\s+\S+\s+\S+\s+0\s+0\s+DISK_FULL/);
    const statusJson = JSON.parse((await runCliInProcess(['status', ...server, '--app', 'demo', '--json'])).stdout);
    t.equal(statusJson.app, 'demo');
    t.same(statusJson.nodes.map((n) => [n.node, n.seq]).sort(), [['node-a', 4], ['node-b', 3]]);
});
//# sourceMappingURL=status-rollback.test.js.map