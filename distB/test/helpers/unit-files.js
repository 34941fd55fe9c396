import t from 'tap';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
/**
 * Imports every compiled `*.unit.js` in `dir` and below, in path order, so their tests run in
 * the process of the one `*.test.ts` that calls this. tap starts each test file in a process of
 * its own, with a module loader hook that costs ~1.5 s of CPU per file: more than most unit
 * tests take. A unit file still runs alone: `node dist/test/<path>.unit.js` or `tap <that file>`.
 */
export async function importUnits(dir) {
    const root = fileURLToPath(dir);
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.unit.js'))
        .sort();
    // Imported inside a subtest: a unit's top-level t.teardown makes tap end the root test once it
    // sits idle for a few timer turns, and loading a module under tap's hook can take that long —
    // the units imported after it would silently not run. Their t.test calls queue on the root
    // test behind this one and run after it.
    await t.test(`the unit files under ${root}`, async (t) => {
        t.ok(files.length > 0, `${files.length} *.unit.js files (none: not built?)`);
        for (const file of files)
            await import(pathToFileURL(join(root, file)).href);
    });
}
//# sourceMappingURL=unit-files.js.map