import t from 'tap';
import { mkdir, readFile, readdir, readlink, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { publish, startAgent, startServer, tempDir, waitForSeq } from './fixtures.js';

const FILES = 100;
const SWITCHES = 20;

async function writeRound(dir: string, round: number): Promise<void> {
  await mkdir(join(dir, 'sub'), { recursive: true });
  for (let i = 0; i < FILES; i++) await writeFile(join(dir, i % 2 ? 'sub' : '', `f${i}.txt`), `${round}\n`);
}

t.test('a reader looping over current during 20 switches never sees a mix of releases', async (t) => {
  const server = await startServer(t);
  const src = tempDir(t);
  await writeRound(src, 0);
  const first = await publish(server.url, 'atom', src);
  const agent = await startAgent(t, server.url, { args: ['--keep-releases', '5'] });
  await waitForSeq(agent.root, 'atom', first);
  const appDir = join(agent.root, 'apps/atom');

  let done = false;
  const seen = { passes: 0, mixed: 0, incomplete: 0, values: new Set<string>() };
  // The way a server should read a release: resolve `current` once, then read below it.
  const reader = (async () => {
    while (!done) {
      const release = join(appDir, await readlink(join(appDir, 'current')));
      try {
        const names = [...(await readdir(release)).map((name) => name), ...(await readdir(join(release, 'sub'))).map((name) => `sub/${name}`)].filter((name) => name !== 'sub');
        const values = new Set(await Promise.all(names.map((name) => readFile(join(release, name), 'utf8'))));
        seen.passes++;
        if (values.size !== 1) seen.mixed++;
        if (names.length !== FILES) seen.incomplete++;
        for (const value of values) seen.values.add(value);
      } catch (err) {
        // An old release dropped after the reader resolved it (--keep-releases): not a mix.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || (await stat(release).then(() => true, () => false))) throw err;
      }
    }
  })();

  for (let round = 1; round <= SWITCHES; round++) {
    await writeRound(src, round);
    const seq = await publish(server.url, 'atom', src);
    await waitForSeq(agent.root, 'atom', seq);
  }
  done = true;
  await reader;
  t.equal(seen.mixed, 0, `no pass saw two releases at once (${seen.passes} passes)`);
  t.equal(seen.incomplete, 0, 'every pass saw a complete tree');
  t.ok(seen.values.size > 2, `the reader saw several releases (${seen.values.size})`);
});
