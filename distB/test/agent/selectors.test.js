import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { heldSeq, publish, putApp, startAgent, startServer, tempDir, waitFor, waitForSeq } from './fixtures.js';
t.test('only nodes whose labels match the nodeSelector hold the app; changing it moves the app', async (t) => {
    const server = await startServer(t);
    await putApp(server.url, 'shop', { nodeSelector: 'env=pre,tier in (web,api)' });
    const src = tempDir(t);
    await writeFile(join(src, 'index.php'), '<?php echo 1;\n');
    const seq1 = await publish(server.url, 'shop', src);
    const [web, batch, api] = await Promise.all([
        startAgent(t, server.url, { node: 'web', labels: 'env=pre,tier=web' }),
        startAgent(t, server.url, { node: 'batch', labels: 'env=pre,tier=batch' }),
        startAgent(t, server.url, { node: 'api', labels: 'env=pre,tier=api' }),
    ]);
    await Promise.all([waitForSeq(web, 'shop', seq1), waitForSeq(api, 'shop', seq1)]);
    // Ready means the agent has listed the apps and chosen what to hold.
    await waitFor('batch ready', async () => (await fetch(`${batch.url}/readyz`)).status === 200);
    t.notOk(existsSync(join(batch.root, 'apps/shop')), 'the batch node does not hold the app');
    await putApp(server.url, 'shop', { nodeSelector: 'tier=batch' });
    await waitForSeq(batch, 'shop', seq1);
    t.equal(await heldSeq(batch.root, 'shop'), seq1, 'the app moved to the batch node');
    await writeFile(join(src, 'index.php'), '<?php echo 2;\n');
    const seq2 = await publish(server.url, 'shop', src);
    await waitForSeq(batch, 'shop', seq2);
    // Events arrive in order: once web and api hold a later release of an app every node holds,
    // they have had (and ignored) shop's seq 2.
    const probeSeq = await publish(server.url, 'probe', src);
    await Promise.all([waitForSeq(web, 'probe', probeSeq), waitForSeq(api, 'probe', probeSeq)]);
    t.equal(await heldSeq(web.root, 'shop'), seq1, 'web keeps its files but takes no more updates');
    t.equal(await heldSeq(api.root, 'shop'), seq1, 'api keeps its files but takes no more updates');
    t.ok(existsSync(join(web.root, 'apps/shop/current/index.php')), 'files stay on a node no longer selected');
});
//# sourceMappingURL=selectors.test.js.map