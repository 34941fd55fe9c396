import t from 'tap';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// The process runUnits (unit-files.ts) starts: `node unit-runner.js DIR` imports every compiled
// `*.unit.js` in DIR and below, in path order, so their tests run in this one process.
const root = process.argv[2];
if (!root) throw new Error('usage: node unit-runner.js DIR');
const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.unit.js'))
  .sort();
// Imported inside a subtest: a unit's top-level t.teardown makes tap end the root test once it
// sits idle for a few timer turns, and loading a module can take that long — the units imported
// after it would silently not run. Their t.test calls queue on the root test behind this one and
// run after it.
await t.test(`the unit files under ${root}`, async (t) => {
  t.ok(files.length > 0, `${files.length} *.unit.js files (none: not built?)`);
  for (const file of files) await import(pathToFileURL(join(root, file)).href);
});
