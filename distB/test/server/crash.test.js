import t from 'tap';
import { randomBytes } from 'node:crypto';
import { seededRandom } from '../helpers/seeded-random.js';
import { checkStore } from '../../server/store/fsck.js';
import { getJson, publishManifest, startServer, tempDir, tarOf } from './harness.js';
const ROUNDS = 15;
/** File sizes come from the test's seeded source (replayable); the bytes need only differ. */
function randomTree(random) {
    const tree = [{ path: 'src', type: 'dir', mode: 0o755 }];
    for (let i = 0; i < 8; i++)
        tree.push({ path: `src/f${i}.php`, type: 'file', mode: 0o644, data: randomBytes(random.int(32 * 1024)) });
    tree.push({ path: 'big.bin', type: 'file', mode: 0o644, data: randomBytes(512 * 1024 + random.int(1024)) });
    return tree;
}
/** One publish that may die with the server; resolves with the seq when it was acknowledged. */
async function tryPublish(url, app, viaTar, random) {
    try {
        const tree = randomTree(random);
        if (viaTar) {
            const response = await fetch(`${url}/v1/apps/${app}/releases?create=1`, { method: 'POST', headers: { 'content-type': 'application/x-tar' }, body: await tarOf(tree) });
            return response.status === 201 ? (await response.json()).seq : undefined;
        }
        const published = await publishManifest(url, app, tree);
        return published.status === 201 ? published.body.seq : undefined;
    }
    catch {
        return undefined;
    }
}
t.test('kill -9 during publishes never exposes a partial release and never reuses a seq', async (t) => {
    const random = seededRandom(t);
    const dataDir = tempDir(t);
    const acknowledged = new Map([['alpha', []], ['beta', []]]);
    let highest = new Map([['alpha', 0], ['beta', 0]]);
    for (let round = 0; round < ROUNDS; round++) {
        const server = await startServer(t, dataDir, ['--keep-releases', '1000']);
        for (const [app, seqs] of acknowledged) {
            const listed = await getJson(`${server.url}/v1/apps/${app}/releases`);
            const listedSeqs = listed.status === 200 ? listed.body.map((release) => release.seq) : [];
            for (const seq of seqs)
                t.ok(listedSeqs.includes(seq), `round ${round}: acknowledged ${app} seq ${seq} survived`);
            // Releases written but never acknowledged may be listed too; later seqs must pass them.
            highest.set(app, Math.max(highest.get(app), ...listedSeqs));
            t.same(listedSeqs, [...listedSeqs].sort((a, b) => b - a), `round ${round}: ${app} listed newest first`);
        }
        const fresh = new Map([['alpha', []], ['beta', []]]);
        // One publish completes before the kill in every round, whatever the machine's speed.
        const settled = await tryPublish(server.url, 'alpha', round % 2 === 0, random);
        t.ok(settled !== undefined, `round ${round}: a publish completes`);
        fresh.get('alpha').push(settled);
        const inFlight = [];
        for (let i = 0; i < 6; i++) {
            const app = i % 2 === 0 ? 'alpha' : 'beta';
            inFlight.push(tryPublish(server.url, app, i % 3 === 0, random).then((seq) => void (seq !== undefined && fresh.get(app).push(seq))));
        }
        // The kill lands at a seeded instant among the publishes in flight: what is tested, not a wait.
        await new Promise((resolve) => setTimeout(resolve, 20 + random.int(380)));
        server.proc.child.kill('SIGKILL');
        await server.proc.exited;
        await Promise.all(inFlight);
        t.same(await checkStore(dataDir), [], `round ${round}: store consistent after kill -9`);
        for (const [app, seqs] of fresh) {
            for (const seq of seqs)
                t.ok(seq > highest.get(app), `round ${round}: ${app} seq ${seq} is new`);
            acknowledged.get(app).push(...seqs);
        }
        highest = new Map([...acknowledged].map(([app, seqs]) => [app, Math.max(highest.get(app), ...seqs)]));
    }
    const server = await startServer(t, dataDir);
    for (const app of ['alpha', 'beta']) {
        const published = await publishManifest(server.url, app, randomTree(random));
        t.equal(published.status, 201);
        t.ok(published.body.seq > highest.get(app), `${app}: the seq after all crashes is still new`);
    }
    t.same(server.proc.errorLogs(), []);
});
//# sourceMappingURL=crash.test.js.map