import t from 'tap';
import { readFile, readdir, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { publishFiles, startAgent, startServer, waitForSeq } from './fixtures.js';
const FILES = 100;
const SWITCHES = 20;
function round(value) {
    const files = {};
    for (let i = 0; i < FILES; i++)
        files[`${i % 2 ? 'sub/' : ''}f${i}.txt`] = `${value}\n`;
    return files;
}
t.test('a reader looping over current during 20 switches never sees a mix of releases', async (t) => {
    const server = await startServer(t);
    const first = await publishFiles(server.url, 'atom', round(0));
    const agent = await startAgent(t, server.url, { args: ['--keep-releases', '5'] });
    await waitForSeq(agent, 'atom', first);
    const appDir = join(agent.root, 'apps/atom');
    let done = false;
    const seen = { passes: 0, mixed: 0, incomplete: 0, values: new Set() };
    // The way a server should read a release: resolve `current` once, then read below it.
    const reader = (async () => {
        while (!done) {
            const release = join(appDir, await readlink(join(appDir, 'current')));
            try {
                const names = [...(await readdir(release)).map((name) => name), ...(await readdir(join(release, 'sub'))).map((name) => `sub/${name}`)].filter((name) => name !== 'sub');
                const values = new Set(await Promise.all(names.map((name) => readFile(join(release, name), 'utf8'))));
                seen.passes++;
                if (values.size !== 1)
                    seen.mixed++;
                if (names.length !== FILES)
                    seen.incomplete++;
                for (const value of values)
                    seen.values.add(value);
            }
            catch (err) {
                // An old release dropped after the reader resolved it (--keep-releases): not a mix.
                if (err.code !== 'ENOENT' || (await stat(release).then(() => true, () => false)))
                    throw err;
            }
        }
    })();
    for (let value = 1; value <= SWITCHES; value++) {
        const seq = await publishFiles(server.url, 'atom', round(value));
        await waitForSeq(agent, 'atom', seq);
    }
    done = true;
    await reader;
    t.equal(seen.mixed, 0, `no pass saw two releases at once (${seen.passes} passes)`);
    t.equal(seen.incomplete, 0, 'every pass saw a complete tree');
    t.ok(seen.values.size > 2, `the reader saw several releases (${seen.values.size})`);
});
//# sourceMappingURL=atomicity.test.js.map