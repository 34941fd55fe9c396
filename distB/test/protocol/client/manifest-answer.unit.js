import t from 'tap';
import { parseManifestAnswer } from '../../../protocol/client/manifest-answer.js';
import { parseJsonAnswer } from '../../../protocol/client/json-answer.js';
import { releaseManifestOf } from '../../../protocol/client/node-answers.js';
import { validateToCompact } from '../../../protocol/compact-manifest-builder.js';
import { validateManifest } from '../../../protocol/manifest.js';
const sha = (n) => n.toString(16).padStart(64, '0');
const digest = `sha256:${sha(9)}`;
const head = { app: 'web', seq: 3, digest, createdAt: '2026-01-01T00:00:00.000Z', meta: { commit: 'abc' }, files: 3, bytes: 10 };
const entries = [
    { path: 'z.txt', type: 'file', mode: 0o644, size: 3, sha256: sha(1) },
    { path: 'dir/é-non-ascii.txt', type: 'file', mode: 0o600, size: 0, sha256: sha(2) },
    { path: 'dir', type: 'dir', mode: 0o755 },
    { path: 'dir/link', type: 'symlink', mode: 0o644, target: 'é-non-ascii.txt' },
    { path: 'a\ttab "quoted"', type: 'file', mode: 0o644, size: 7, sha256: sha(3) },
];
/** The outcome of the body parsed and checked whole (node-answers.unit.ts holds that check to its schema), then validateManifest. */
function wholeOutcome(body, rules = {}) {
    try {
        const parsed = releaseManifestOf(parseJsonAnswer(Buffer.from(body), 'GET x'), 'GET x');
        const { entries: list, ...rest } = parsed;
        return { rest, entries: validateManifest(list, rules) };
    }
    catch (err) {
        return { code: err.code, message: err.message };
    }
}
function scannedOutcome(body, rules = {}) {
    try {
        const { entries: lines, ...rest } = parseManifestAnswer(Buffer.from(body), 'GET x');
        return { rest, entries: validateToCompact(lines, rules).toEntries() };
    }
    catch (err) {
        return { code: err.code, message: err.message };
    }
}
t.test('a manifest answer read entry by entry gives what the whole body parsed gave: entries, members, errors', async (t) => {
    const bodies = [
        ['a tree', JSON.stringify({ ...head, entries })],
        ['spaced out, entries first, escapes', `\n { "entries" : [ ${entries.map((entry) => JSON.stringify(entry).replace(/é/g, '\\u00e9')).join(' ,\n')} ] ,\t${JSON.stringify(head).slice(1, -1).replace(/,/g, ' ,\n ')} } `],
        ['no entries', JSON.stringify({ ...head, entries: [] })],
        ['a signature kept', JSON.stringify({ ...head, entries, signature: { keyId: 'k', sig: 'AAAA' } })],
        ['not JSON', '<html>'],
        ['cut short', JSON.stringify({ ...head, entries }).slice(0, -20)],
        ['a BOM', `\ufeff${JSON.stringify({ ...head, entries })}`],
        ['text after it', `${JSON.stringify({ ...head, entries })} x`],
        ['entries not an array', JSON.stringify({ ...head, entries: { a: 1 } })],
        ['entries missing', JSON.stringify(head)],
        ['a bad digest', JSON.stringify({ ...head, digest: 'sha256:../x', entries })],
        ['a bad seq', JSON.stringify({ ...head, seq: 0, entries })],
        ['an entry of a bad sha256', JSON.stringify({ ...head, entries: [...entries, { path: 'x', type: 'file', mode: 0o644, size: 1, sha256: 'nothex' }] })],
        ['an entry not an object', JSON.stringify({ ...head, entries: [...entries, 7] })],
        ['a path twice', JSON.stringify({ ...head, entries: [...entries, entries[0]] })],
        ['a file under a file', JSON.stringify({ ...head, entries: [...entries, { path: 'z.txt/x', type: 'file', mode: 0o644, size: 1, sha256: sha(5) }] })],
        ['a link out of the tree', JSON.stringify({ ...head, entries: [...entries, { path: 'out', type: 'symlink', mode: 0o777, target: '../etc' }] })],
        ['an element not JSON', JSON.stringify({ ...head, entries }).replace('"mode":420', '"mode":0420')],
        ['a __proto__ key', `{"__proto__":{"x":1},${JSON.stringify({ ...head, entries }).slice(1)}`],
    ];
    for (const [what, body] of bodies)
        t.same(scannedOutcome(body), wholeOutcome(body), what);
    for (const [what, body] of bodies.slice(0, 4))
        t.match(scannedOutcome(body), { rest: { app: 'web', seq: 3, digest, files: 3 }, entries: Array }, `${what}: taken`);
    const external = JSON.stringify({ ...head, entries: [{ path: 'out', type: 'symlink', mode: 0o777, target: '/etc' }] });
    t.same(scannedOutcome(external, { externalSymlinks: true }), wholeOutcome(external, { externalSymlinks: true }), 'the rules apply');
    t.match(scannedOutcome('<html>'), { code: 'INVALID_RESPONSE', message: /not JSON/ });
});
//# sourceMappingURL=manifest-answer.unit.js.map