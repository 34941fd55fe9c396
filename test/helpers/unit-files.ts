import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Imports every compiled `*.unit.js` in `dir` and below, in path order, so their tests run in
 * the process of the one `*.test.ts` that calls this. tap starts each test file in a process of
 * its own, with a module loader hook that costs ~1.5 s of CPU per file: more than most unit
 * tests take. A unit file still runs alone: `node dist/test/<path>.unit.js` or `tap <that file>`.
 */
export async function importUnits(dir: URL): Promise<void> {
  const root = fileURLToPath(dir);
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.unit.js'))
    .sort();
  if (files.length === 0) throw new Error(`no *.unit.js under ${root}: not built?`);
  for (const file of files) await import(pathToFileURL(join(root, file)).href);
}
