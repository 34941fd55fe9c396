import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { publishFlags, startServer } from './server-fixture.js';
t.test('releases lists the history; rollback --to takes a meta match and says which of several it took', async (t) => {
    const dir = t.testdir({ data: {}, tree: { 'app.php': 'v1' } });
    const tree = join(dir, 'tree');
    const { url } = await startServer(t, join(dir, 'data'));
    const server = ['--server', url, '--app', 'demo'];
    const publish = async (content, ...meta) => {
        writeFileSync(join(tree, 'app.php'), content);
        const run = await runCliInProcess(['publish', tree, ...publishFlags(url, dir), ...meta.flatMap((pair) => ['--meta', pair])]);
        t.equal(run.code, 0, run.stderr);
        return run.stdout.trim().split(' ')[1];
    };
    const d1 = await publish('v1', 'commit=aaa111', 'message=first cut');
    const d2 = await publish('v2', 'commit=bbb222');
    const d3 = await publish('v1 rebuilt', 'commit=aaa111');
    const back = await runCliInProcess(['rollback', ...server, '--to', 'commit=bbb222']);
    t.match(back, { code: 0, stdout: `4 ${d2}\n`, stderr: '' }, 'one match: rolled back to it, quietly');
    const twice = await runCliInProcess(['rollback', ...server, '--to', 'commit=aaa111']);
    t.equal(twice.code, 0, twice.stderr);
    t.equal(twice.stdout, `5 ${d3}\n`, 'the newest of the matches');
    t.equal(twice.stderr, '2 releases match commit=aaa111 (seq 3, 1); rolling back to seq 3, the newest that is not a rollback\n');
    t.match(await runCliInProcess(['rollback', ...server, '--to', 'commit=zzz']), { code: 1, stderr: /^codesync: RELEASE_NOT_FOUND: no retained release of demo has meta commit=zzz/ });
    t.match(await runCliInProcess(['rollback', ...server, '--to', 'nonsense']), { code: 2, stderr: /want a seq \(42\) or a meta match/ });
    const listed = await runCliInProcess(['releases', ...server]);
    t.equal(listed.code, 0, listed.stderr);
    const [header, ...rows] = listed.stdout.trim().split('\n');
    t.match(header, /^SEQ\s+DIGEST\s+CREATED\s+ROLLBACK OF\s+META$/);
    t.match(rows, [
        new RegExp(`^5\\s+${d3.slice(0, 19)}\\s+\\S+\\s+3\\s+-$`),
        /^4\s+\S+\s+\S+\s+2\s+-$/,
        /^3\s+\S+\s+\S+\s+-\s+commit=aaa111$/,
        /^2\s+\S+\s+\S+\s+-\s+commit=bbb222$/,
        new RegExp(`^1\\s+${d1.slice(0, 19)}\\s+\\S+\\s+-\\s+commit=aaa111 message="first cut"$`),
    ], 'a rollback copies no meta, so a commit names one release; ROLLBACK OF says what it repeats');
    const json = JSON.parse((await runCliInProcess(['releases', ...server, '--json'])).stdout);
    t.same(json.map((release) => [release.seq, release.rollbackOf, release.meta]), [[5, 3, {}], [4, 2, {}], [3, undefined, { commit: 'aaa111' }], [2, undefined, { commit: 'bbb222' }], [1, undefined, { commit: 'aaa111', message: 'first cut' }]]);
    t.match(await runCliInProcess(['releases', '--server', url, '--app', 'nope']), { code: 1, stderr: /^codesync: APP_NOT_FOUND: / });
});
//# sourceMappingURL=releases.test.js.map