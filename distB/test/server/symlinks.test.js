import t from 'tap';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { getJson, postJson, publishManifest, startServer, storeSnapshot, tarOf, tempDir } from './harness.js';
const index = { path: 'index.php', type: 'file', mode: 0o644, data: Buffer.from('<?php echo 1;\n') };
/** Eight dirs deep, a link climbing exactly to the root: harmless on its own. */
const DEEP = 'a/b/c/d/e/f/g/h';
/**
 * `s` reads as `a/…/h/r/../../../../../../../..` = `a`, inside the tree as text; through `r`
 * (the root) it climbs 8 levels above the release: `/` from a root such as
 * /var/lib/codesync/apps/web/releases/1. Served by the old textual check, `codesync pull` walked
 * the node's whole filesystem through it.
 */
const chainToSlash = [
    index,
    { path: `${DEEP}/r`, type: 'symlink', target: '../../../../../../../..' },
    { path: `${DEEP}/s`, type: 'symlink', target: `r/${'../'.repeat(8)}` },
];
const put = (url, app, spec) => getJson(`${url}/v1/apps/${app}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec) });
const publishTar = async (url, app, tree) => {
    const response = await fetch(`${url}/v1/apps/${app}/releases`, { method: 'POST', headers: { 'content-type': 'application/x-tar' }, body: await tarOf(tree) });
    return { status: response.status, body: (await response.json()) };
};
// One server for the file: starting one costs seconds on a loaded machine. Each test has its apps.
let server;
let url = '';
t.before(async () => {
    server = await startServer(t, tempDir(t));
    url = server.url;
});
t.test('links are resolved against the tree at every publish form; refusals keep the store as it was', async (t) => {
    t.equal((await publishManifest(url, 'web', [index])).status, 201);
    const before = await storeSnapshot(server.dataDir);
    const refusals = [
        ['a chain of harmless-looking links to /', chainToSlash, /"a\/b\/c\/d\/e\/f\/g\/h\/s".*resolves outside the tree/],
        ['a loop', [index, { path: 'x', type: 'symlink', target: 'y/z' }, { path: 'y', type: 'symlink', target: 'x' }], /loop/],
        ['a link to itself', [index, { path: 'self', type: 'symlink', target: './self' }], /loop/],
        ['more than 40 links in a row', [index, ...Array.from({ length: 41 }, (_, i) => ({ path: `l${i}`, type: 'symlink', target: i === 40 ? 'index.php' : `l${i + 1}` }))], /more than 40/],
        ['an absolute link (external links not allowed)', [index, { path: 'etc', type: 'symlink', target: '/etc' }], /is absolute.*externalSymlinks/],
    ];
    for (const [what, tree, message] of refusals) {
        const json = await publishManifest(url, 'web', tree);
        t.equal(json.status, 400, `${what}: manifest refused`);
        t.match(json.body, { error: { code: 'INVALID_SYMLINK', message } }, `${what}: code and message`);
        const tar = await publishTar(url, 'web', tree);
        t.equal(tar.status, 400, `${what}: tar refused`);
        t.match(tar.body, { error: { code: 'INVALID_SYMLINK', message } });
    }
    const empty = await postJson(`${url}/v1/apps/web/releases`, { entries: [{ path: 'l', type: 'symlink', mode: 0o777, target: '' }] });
    t.match(empty, { status: 400, body: { error: { code: 'INVALID_SYMLINK', message: /empty target/ } } }, 'an empty target');
    t.same(await storeSnapshot(server.dataDir), before, 'no release, app or blob was kept');
    t.same(server.proc.errorLogs(), [], 'refusals are not server errors');
});
t.test('codesync publish of a tree holding the chain to / is refused by the server, naming the link', async (t) => {
    const dir = t.testdir({ tree: { 'index.php': '<?php echo 1;\n' } });
    const tree = join(dir, 'tree');
    mkdirSync(join(tree, DEEP), { recursive: true });
    symlinkSync('../../../../../../../..', join(tree, DEEP, 'r'));
    symlinkSync(`r/${'../'.repeat(8)}`, join(tree, DEEP, 's'));
    t.equal((await put(url, 'cli-chain', {})).status, 201);
    const run = await runCliInProcess(['publish', tree, '--server', url, '--app', 'cli-chain', '--cache', join(dir, 'cache.json')]);
    t.equal(run.code, 1, 'exit 1');
    t.match(run.stderr, /INVALID_SYMLINK: symlink "a\/b\/c\/d\/e\/f\/g\/h\/s" -> "r\/\.\.\/.*" resolves outside the tree/);
    t.same((await getJson(`${url}/v1/apps/cli-chain/releases`)).body, [], 'nothing was published');
});
t.test('external symlinks: an app opts in; they are kept verbatim, nothing lies beneath or resolves through them', async (t) => {
    const dir = t.testdir({ tree: { 'index.php': '<?php echo 1;\n', public: {} } });
    const tree = join(dir, 'tree');
    symlinkSync('/var/www/shared/storage', join(tree, 'public', 'storage'));
    symlinkSync('../../shared/logs', join(tree, 'logs'));
    const publish = (app) => runCliInProcess(['publish', tree, '--server', url, '--app', app, '--cache', join(dir, `${app}.json`)]);
    t.equal((await put(url, 'plain', {})).status, 201);
    t.match(await put(url, 'plain', { externalSymlinks: 'yes' }), { status: 400, body: { error: { code: 'INVALID_REQUEST' } } }, 'externalSymlinks is allow or refuse');
    const refused = await publish('plain');
    t.equal(refused.code, 1, 'an app that did not opt in refuses the tree');
    t.match(refused.stderr, /INVALID_SYMLINK: symlink "logs" -> "\.\.\/\.\.\/shared\/logs" resolves outside the tree; .*externalSymlinks: "allow"/);
    const created = await put(url, 'laravel', { externalSymlinks: 'allow' });
    t.equal(created.status, 201);
    t.equal(created.body.externalSymlinks, 'allow', 'PUT answers with the setting');
    const listed = (await getJson(`${url}/v1/apps`)).body;
    t.equal(listed.find((app) => app.name === 'laravel')?.externalSymlinks, 'allow', 'GET /v1/apps shows it');
    t.notOk('externalSymlinks' in listed.find((app) => app.name === 'plain'), 'an app that never set it carries no field');
    const published = await publish('laravel');
    t.equal(published.code, 0, `codesync publish succeeds: ${published.stderr}`);
    const manifest = (await getJson(`${url}/v1/apps/laravel/releases/1/manifest`)).body;
    t.same(manifest.entries.filter((entry) => entry.type === 'symlink'), [
        { path: 'logs', type: 'symlink', mode: 0o777, target: '../../shared/logs' },
        { path: 'public/storage', type: 'symlink', mode: 0o777, target: '/var/www/shared/storage' },
    ], 'both links stored verbatim');
    const base = [index, { path: 'public/storage', type: 'symlink', target: '/var/www/shared/storage' }];
    const through = await publishManifest(url, 'laravel', [...base, { path: 'avatars', type: 'symlink', target: 'public/storage/avatars' }]);
    t.match(through, { status: 400, body: { error: { code: 'INVALID_SYMLINK', message: /"avatars".*through the external symlink "public\/storage"/ } } }, 'no link resolves through an external one');
    const alias = await publishTar(url, 'laravel', [...base, { path: 'storage', type: 'symlink', target: 'public/storage' }]);
    t.match(alias, { status: 400, body: { error: { code: 'INVALID_SYMLINK', message: /through the external symlink/ } } }, 'not even to it, as a tar');
    const beneath = await publishManifest(url, 'laravel', [...base, { path: 'public/storage/app.log', type: 'file', mode: 0o644, data: Buffer.from('x') }]);
    t.match(beneath, { status: 400, body: { error: { code: 'PATH_CONFLICT' } } }, 'nothing lies beneath an external link');
    const loop = await publishManifest(url, 'laravel', [index, { path: 'x', type: 'symlink', target: 'x' }]);
    t.match(loop, { status: 400, body: { error: { code: 'INVALID_SYMLINK', message: /loop/ } } }, 'loops stay refused');
    t.equal((await publishManifest(url, 'laravel', [index])).status, 201, 'a second release without links');
    t.equal((await put(url, 'laravel', { externalSymlinks: 'refuse' })).body.externalSymlinks, 'refuse', 'turned off again');
    const rollback = await postJson(`${url}/v1/apps/laravel/rollback`, { toSeq: 1 });
    t.match(rollback, { status: 400, body: { error: { code: 'INVALID_SYMLINK' } } }, 'a rollback to a tree with external links follows the app\'s current rule');
});
//# sourceMappingURL=symlinks.test.js.map