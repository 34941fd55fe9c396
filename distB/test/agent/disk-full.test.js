import t from 'tap';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashFile } from '../../protocol/sha256.js';
import { heldSeq, manifestSnapshot, metric, publish, snapshot, startAgent, startServer, tempDir, waitFor, waitForSeq } from './fixtures.js';
// A real, small tmpfs: the agent's disk fills while it fetches a release, then grows again.
const isRoot = process.getuid?.() === 0;
t.test('disk full during a sync: DISK_FULL, current untouched, nothing partial; once space is back the agent recovers and current equals the manifest byte for byte', { skip: isRoot ? false : 'mounting a tmpfs needs root' }, async (t) => {
    const root = tempDir(t, 'codesync-tmpfs-');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=20m', 'tmpfs', root]);
    // Registered after tempDir's removal, so it runs first (tap runs teardowns last in, first out).
    t.teardown(() => execFileSync('umount', ['-l', root]));
    const server = await startServer(t);
    const src = tempDir(t);
    await writeFile(join(src, 'index.php'), '<?php echo "v1";\n');
    const seq1 = await publish(server.url, 'big', src);
    const agent = await startAgent(t, server.url, { root, args: ['--verify-interval', '0'] });
    await waitForSeq(root, 'big', seq1);
    const before = await snapshot(join(root, 'apps/big/current'));
    // Five 5 MiB files that compress to nothing smaller: 25 MiB does not fit in 20.
    await mkdir(join(src, 'assets'));
    for (let i = 0; i < 5; i++)
        await writeFile(join(src, 'assets', `blob${i}.bin`), randomBytes(5 * 1024 * 1024));
    const seq2 = await publish(server.url, 'big', src);
    await waitFor('a DISK_FULL failure', async () => (await metric(agent.url, 'codesync_agent_sync_failures_total', { app: 'big', reason: 'DISK_FULL' })) >= 1);
    // Stopped so no retry is mid-write while the cache is looked at.
    await agent.proc.stop();
    t.equal(await heldSeq(root, 'big'), seq1, 'release 1 stays current');
    t.same(await snapshot(join(root, 'apps/big/current')), before, 'current serves release 1 unchanged');
    t.same(await readdir(join(root, 'objects/tmp')), [], 'no partial download survives in objects/tmp');
    execFileSync('mount', ['-o', 'remount,size=100m', root]);
    await startAgent(t, server.url, { root, args: ['--verify-interval', '0'] });
    await waitForSeq(root, 'big', seq2);
    t.same(await snapshot(join(root, 'apps/big/current')), await manifestSnapshot(server.url, 'big', seq2), 'current equals release 2 byte for byte');
    const shards = await readdir(join(root, 'objects/sha256'));
    let objects = 0;
    for (const shard of shards) {
        for (const name of await readdir(join(root, 'objects/sha256', shard))) {
            t.equal((await hashFile(join(root, 'objects/sha256', shard, name))).sha256, name.split('.')[0], `object ${name.slice(0, 12)} hashes to its name`);
            objects++;
        }
    }
    t.ok(objects >= 6, 'every object of release 2 is in the cache');
});
//# sourceMappingURL=disk-full.test.js.map