import t from 'tap';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { manifestSnapshot, publishFiles, snapshot, startAgent, startServer, waitFor, waitForSeq } from './fixtures.js';
/** Release `round`: files changed, added, removed and moved under a directory from round to round. */
function tree(round) {
    const files = {};
    for (let i = 0; i < 40; i++)
        files[`src/m${i % 4}/f${i}.php`] = i % 5 === round % 5 ? `changed in round ${round}\n` : `file ${i}\n`;
    files[`only-in-${round}.txt`] = `round ${round}\n`;
    if (round % 2 === 0)
        files['even/nested/x.txt'] = 'even\n';
    return files;
}
t.test('the release beyond --keep-releases becomes the next spare: brought forward by the steps since, no tree removed or cloned', async (t) => {
    const server = await startServer(t);
    const agent = await startAgent(t, server.url, { args: ['--keep-releases', '2'] });
    const app = join(agent.root, 'apps/web');
    const inodes = new Map();
    let seq = 0;
    for (let round = 0; round < 6; round++) {
        seq = await publishFiles(server.url, 'web', tree(round));
        await waitForSeq(agent, 'web', seq, 60_000);
        t.same(await snapshot(join(app, 'current')), await manifestSnapshot(server.url, 'web', seq), `round ${round}: current matches release ${seq}`);
        const spare = join(app, '.staging', `spare-${seq}`);
        await waitFor(`the spare of ${seq}`, async () => JSON.stringify(await snapshot(spare).catch(() => ({}))) === JSON.stringify(await snapshot(join(app, 'current'))), 60_000);
        // With --keep-releases 2 the tree of seq - 2 leaves releases/ at the switch to seq.
        if (inodes.has(seq - 2))
            t.equal((await stat(spare)).ino, inodes.get(seq - 2), `round ${round}: the spare of ${seq} is the old tree of ${seq - 2}, brought forward`);
        inodes.set(seq, (await stat(join(app, 'releases', String(seq)))).ino);
        const releases = (await readdir(join(app, 'releases'))).filter((name) => /^\d+$/.test(name));
        t.ok(releases.length <= 2, `round ${round}: releases/ holds at most 2 trees (${releases.join(', ')})`);
    }
    t.same(agent.proc.logs.filter((line) => (line.level ?? 0) >= 40 && /spare/.test(String(line.msg))).map((line) => `${line.msg}: ${JSON.stringify(line.err ?? '')}`), [], 'no warnings: every spare was brought forward');
    const manifests = await readdir(join(app, 'manifests'));
    t.notOk(manifests.some((name) => Number.parseInt(name, 10) < seq - 1), `manifests of retired releases are gone (${manifests.join(', ')})`);
});
t.test('the first releases after a cold sync take reserves cloned at once; after a restart an old tree is brought forward by the diff of the manifests', async (t) => {
    const server = await startServer(t);
    let agent = await startAgent(t, server.url, { args: ['--keep-releases', '3'] });
    const app = join(agent.root, 'apps/web');
    const first = await publishFiles(server.url, 'web', tree(0));
    await waitForSeq(agent, 'web', first, 60_000);
    // keep 3, one release on disk: the two releases to come find no tree to retire.
    const reserves = [0, 1].map((n) => join(app, '.staging', `reserve-${first}-${n}`));
    const reserveInodes = new Set();
    for (const dir of reserves) {
        await waitFor(`reserve ${dir}`, async () => JSON.stringify(await snapshot(dir).catch(() => ({}))) === JSON.stringify(await snapshot(join(app, 'current'))), 60_000);
        reserveInodes.add((await stat(dir)).ino);
    }
    // The end of the switch's background work (benches read idle RSS there): after the reserves.
    const settled = await agent.proc.waitForLog((line) => line.msg === 'background work settled', 60_000);
    t.ok(typeof settled.rssBytes === 'number' && settled.rssBytes > 0, 'the agent logs its background work settled, with its RSS');
    for (const dir of reserves)
        t.ok((await stat(dir)).isDirectory(), `${dir} was made before the background work settled`);
    const releaseInodes = new Map([[first, (await stat(join(app, 'releases', String(first)))).ino]]);
    let seq = first;
    for (let round = 1; round <= 2; round++) {
        seq = await publishFiles(server.url, 'web', tree(round));
        await waitForSeq(agent, 'web', seq, 60_000);
        const spare = join(app, '.staging', `spare-${seq}`);
        await waitFor(`the spare of ${seq}`, async () => JSON.stringify(await snapshot(spare).catch(() => ({}))) === JSON.stringify(await snapshot(join(app, 'current'))), 60_000);
        t.ok(reserveInodes.has((await stat(spare)).ino), `round ${round}: the spare of ${seq} is a reserve brought forward, not a new clone`);
        t.same(await snapshot(join(app, 'current')), await manifestSnapshot(server.url, 'web', seq), `round ${round}: current matches release ${seq}`);
        releaseInodes.set(seq, (await stat(join(app, 'releases', String(seq)))).ino);
    }
    t.same((await readdir(join(app, '.staging'))).filter((name) => name.startsWith('reserve-')), [], 'every reserve was used');
    await agent.proc.stop();
    agent = await startAgent(t, server.url, { root: agent.root, args: ['--keep-releases', '3'] });
    seq = await publishFiles(server.url, 'web', tree(3));
    await waitForSeq(agent, 'web', seq, 60_000);
    t.same(await snapshot(join(app, 'current')), await manifestSnapshot(server.url, 'web', seq), 'after the restart: current matches the new release');
    const spare = join(app, '.staging', `spare-${seq}`);
    await waitFor(`the spare of ${seq}`, async () => JSON.stringify(await snapshot(spare).catch(() => ({}))) === JSON.stringify(await snapshot(join(app, 'current'))), 60_000);
    t.equal((await stat(spare)).ino, releaseInodes.get(first), `the spare of ${seq} is the tree of ${first}, brought forward across the restart`);
    t.same(agent.proc.logs.filter((line) => (line.level ?? 0) >= 40 && /spare|reserve|tree/.test(String(line.msg))).map((line) => line.msg), [], 'no warning about the spare or a reserve');
});
//# sourceMappingURL=recycle.test.js.map