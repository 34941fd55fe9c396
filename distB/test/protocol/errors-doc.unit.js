import t from 'tap';
import { readFileSync } from 'node:fs';
import { ERROR_CODES } from '../../protocol/errors.js';
// Like fastify's test that keeps docs/Reference/Errors.md in sync with lib/errors.js: every code
// the software can send has a documented row with its status, and the doc names no code that
// no longer exists.
t.test('docs/errors.md documents every error code with its status', async (t) => {
    const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    const rows = new Map();
    for (const match of doc.matchAll(/^\| `([A-Z0-9_]+)` \| (\d{3}) \|/gm))
        rows.set(match[1], Number(match[2]));
    for (const [code, status] of Object.entries(ERROR_CODES)) {
        t.equal(rows.get(code), status, `${code} is documented with status ${status}`);
    }
    for (const code of rows.keys())
        t.ok(Object.hasOwn(ERROR_CODES, code), `documented ${code} exists in protocol/errors.ts`);
});
//# sourceMappingURL=errors-doc.unit.js.map