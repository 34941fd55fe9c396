import t from 'tap';
import { readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeManifestFile } from '../../protocol/compact-manifest-file.js';
import { CodesyncProcess } from '../helpers/codesync-process.js';
import { heldSeq, publishFiles, startAgent, startServer, waitForSeq } from './fixtures.js';
const FILES = 200;
// Ten kill instants spread over [209, 972] ms after the start (150 + round * 137 mod 900).
const ROUNDS = 10;
function content(round, i) {
    return `round ${round} file ${i}\n`.padEnd(8192, '.');
}
function files(round) {
    const tree = {};
    for (let i = 0; i < FILES; i++)
        tree[`f${i}.txt`] = content(round, i);
    return tree;
}
/** What `current` holds: its seq, and how many files differ from the round that seq was published from. */
async function inspectCurrent(root, roundOfSeq) {
    const appDir = join(root, 'apps/crash');
    const target = await readlink(join(appDir, 'current'));
    const seq = Number(/(\d+)/.exec(target)?.[1]);
    const round = roundOfSeq.get(seq);
    let bad = 0;
    for (let i = 0; i < FILES; i++) {
        const text = await readFile(join(appDir, 'current', `f${i}.txt`), 'utf8').catch(() => undefined);
        if (text !== content(round, i))
            bad++;
    }
    // Right after a switch the manifest may still be kept as base + delta.
    const full = await readFile(join(appDir, 'manifests', `${seq}.manifest`)).catch(() => undefined);
    const delta = full ? undefined : await readFile(join(appDir, 'manifests', `${seq}.delta.json`), 'utf8').catch(() => undefined);
    const manifestEntries = full ? (decodeManifestFile(full)?.manifest.length ?? 0) : delta ? FILES : 0;
    return { seq, round, bad, manifestEntries };
}
async function assertCurrentWhole(t, root, roundOfSeq, when) {
    const { seq, round, bad, manifestEntries } = await inspectCurrent(root, roundOfSeq);
    t.equal(bad, 0, `${when}: current (seq ${seq}) is complete and matches round ${round}`);
    t.equal(manifestEntries, FILES, `${when}: the manifest of seq ${seq} is kept locally`);
    return seq;
}
t.test('kill -9 at varied instants of a sync: current stays whole and the sync completes', async (t) => {
    // Every killed agent holds its pull slot until the slot's ttl runs out: plenty of slots.
    const server = await startServer(t, ['--max-concurrent-pulls', '64']);
    const roundOfSeq = new Map();
    roundOfSeq.set(await publishFiles(server.url, 'crash', files(0)), 0);
    const first = await startAgent(t, server.url, { args: ['--keep-releases', '2'] });
    await waitForSeq(first, 'crash', 1);
    await first.proc.stop('SIGKILL');
    const root = first.root;
    for (let round = 1; round <= ROUNDS; round++) {
        const seq = await publishFiles(server.url, 'crash', files(round));
        roundOfSeq.set(seq, round);
        const args = ['agent', '--server', server.url, '--root', root, '--listen', '127.0.0.1:0', '--no-socket', '--keep-releases', '2'];
        const victim = new CodesyncProcess(args, { env: { CODESYNC_LOG_LEVEL: 'info' } });
        t.teardown(() => victim.stop('SIGKILL'));
        // Spread the kill over start-up, recovery, fetch, build and switch.
        await sleep(150 + ((round * 137) % 900));
        await victim.stop('SIGKILL');
        await assertCurrentWhole(t, root, roundOfSeq, `after kill ${round}`);
        const agent = await startAgent(t, server.url, { root, args: ['--keep-releases', '2'] });
        await waitForSeq(root, 'crash', seq).catch((err) => {
            console.error(JSON.stringify(agent.proc.logs.slice(-15)), agent.proc.stderr.join('\n'));
            console.error('server:', server.proc.child.exitCode, server.proc.child.signalCode, JSON.stringify(server.proc.logs.slice(-5)), server.proc.stderr.join('\n'));
            throw err;
        });
        t.equal(await heldSeq(root, 'crash'), seq, `round ${round}: the restarted agent finished the sync`);
        t.equal(await assertCurrentWhole(t, root, roundOfSeq, `after restart ${round}`), seq);
        await agent.proc.stop('SIGKILL');
    }
});
//# sourceMappingURL=crash.test.js.map