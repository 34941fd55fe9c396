import t from 'tap';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LIMITS } from '../../protocol/limits.js';
import { publish, snapshot, startAgent, startServer, tempDir, waitForSeq } from './fixtures.js';
// The server accepts names up to NAME_MAX and paths up to LIMITS.maxPathBytes because every node
// can install them: a full build and a delta (whose files go in under temporary names) alike.
t.test('a 255-byte name and a path at the limit install, and update by delta', async (t) => {
    const server = await startServer(t);
    const src = tempDir(t);
    const longName = 'n'.repeat(LIMITS.maxNameBytes);
    const dirs = Array.from({ length: 14 }, () => 'd'.repeat(250));
    const deepName = 'f'.repeat(LIMITS.maxPathBytes - 14 * 251);
    t.equal(Buffer.byteLength([...dirs, deepName].join('/')), LIMITS.maxPathBytes);
    await mkdir(join(src, ...dirs), { recursive: true });
    await writeFile(join(src, longName), 'one\n');
    await writeFile(join(src, ...dirs, deepName), 'one\n');
    const seq = await publish(server.url, 'long', src);
    const agent = await startAgent(t, server.url);
    const current = join(agent.root, 'apps/long/current');
    await waitForSeq(agent, 'long', seq);
    t.same(await snapshot(current), await snapshot(src), 'the full build');
    await writeFile(join(src, longName), 'two\n');
    await writeFile(join(src, ...dirs, deepName), 'two\n');
    const seq2 = await publish(server.url, 'long', src);
    await waitForSeq(agent, 'long', seq2);
    t.same(await snapshot(current), await snapshot(src), 'the delta');
    t.notOk(agent.proc.logs.some((line) => line.msg === 'sync failed; the last good release stays current'), 'with no failed sync on the way (no ENAMETOOLONG from a temp name)');
});
//# sourceMappingURL=long-names.test.js.map