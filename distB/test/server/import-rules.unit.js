import t from 'tap';
import { isCodesyncError } from '../../protocol/errors.js';
import { parseImportSource } from '../../server/imports/import-source.js';
import { assertImportSettings, importIntervalMs } from '../../server/imports/import-settings.js';
import { rsyncFailure } from '../../server/imports/rsync-exit.js';
// The plain-logic rules of imports: which sources are allowed, what rsync exit codes mean.
t.test('allowed sources parse into parts and one normalised URL ending in /', async (t) => {
    t.same(parseImportSource('rsync://release-host/code'), { user: undefined, host: 'release-host', port: undefined, module: 'code', path: '', url: 'rsync://release-host/code/' });
    t.same(parseImportSource('rsync://deploy@10.0.0.5:8873/code/shop-web/current/'), {
        user: 'deploy', host: '10.0.0.5', port: 8873, module: 'code', path: 'shop-web/current', url: 'rsync://deploy@10.0.0.5:8873/code/shop-web/current/',
    });
});
t.test('everything else is INVALID_IMPORT_SOURCE, without echoing the source', async (t) => {
    const refused = [
        '', 'rsync://', 'rsync://host', 'rsync://host/', 'rsync://host//x', 'rsync://host/m//x', 'rsync://-host/m', 'rsync://host/-m', 'rsync://host/m/-e',
        'rsync://host/m/..', 'rsync://host/./x', 'rsync://host:0/m', 'rsync://host:70000/m', 'rsync://host:/m', 'rsync://@host/m', 'rsync://u:p@host/m',
        'rsync://host/m;touch x', 'rsync://host/m$(id)', 'rsync://host/m`id`', 'rsync://host/m\nid', 'rsync://host/m id', 'rsync://host/m/--rsh=sh',
        'rsync://host/m|id', 'rsync://host/m&id', 'rsync://host/m>x', 'rsync://host/m*', 'rsync://host/m?', 'rsync://host/m[a]', 'rsync://host/m\\x',
        'rsync://host/m%20x', 'rsync://[::1]/m', 'RSYNC://host/m', 'ssh://host/m', 'host::m', '/srv/code', `rsync://host/${'a'.repeat(1100)}`,
    ];
    for (const raw of refused) {
        try {
            parseImportSource(raw);
            t.fail(`accepted ${JSON.stringify(raw)}`);
        }
        catch (err) {
            t.ok(isCodesyncError(err, 'INVALID_IMPORT_SOURCE'), JSON.stringify(raw));
        }
    }
    t.throws(() => parseImportSource('rsync://deploy:hunter2@host/m'), { message: /carries a password/ });
    try {
        parseImportSource('rsync://deploy:hunter2@host/m');
    }
    catch (err) {
        t.notMatch(err.message, /hunter2/);
    }
    t.throws(() => parseImportSource(42), { code: 'INVALID_IMPORT_SOURCE' });
});
t.test('app import settings are checked at PUT; empty strings clear', async (t) => {
    t.doesNotThrow(() => assertImportSettings({ importSource: '', importInterval: '', importMarker: '', importPasswordFile: '' }));
    t.doesNotThrow(() => assertImportSettings({ importSource: 'rsync://h/m', importInterval: '5m', importMarker: 'build/DONE', importPasswordFile: 'host.pw' }));
    t.throws(() => assertImportSettings({ importSource: 'rsync://h/m;x' }), { code: 'INVALID_IMPORT_SOURCE' });
    t.throws(() => assertImportSettings({ importMarker: '../DONE' }), { code: 'INVALID_REQUEST' });
    for (const name of ['../x', '.hidden', 'a/b', '/etc/shadow'])
        t.throws(() => assertImportSettings({ importPasswordFile: name }), { code: 'INVALID_REQUEST' }, name);
    t.equal(importIntervalMs({ importSource: 'rsync://h/m', importInterval: '30s' }), 30_000);
    t.equal(importIntervalMs({ importSource: 'rsync://h/m', importInterval: '0s' }), 0);
    t.equal(importIntervalMs({ importInterval: '30s' }), 0, 'no source, no polling');
    t.equal(importIntervalMs({ importSource: 'rsync://h/m' }), 0);
});
t.test('rsync exit codes map to clear codes', async (t) => {
    const cases = [
        [5, "@ERROR: Unknown module 'x'", 'IMPORT_MODULE_NOT_FOUND'],
        [5, '@ERROR: auth failed on module s', 'IMPORT_AUTH_FAILED'],
        [5, '@ERROR: max connections (2) reached -- try again later', 'IMPORT_UNREACHABLE'],
        [5, 'something else', 'IMPORT_FAILED'],
        [10, 'rsync: [Receiver] failed to connect to h: Connection refused (111)', 'IMPORT_UNREACHABLE'],
        [30, 'rsync error: timeout in data send/receive (code 30)', 'IMPORT_TIMEOUT'],
        [35, 'rsync error: timeout waiting for daemon connection (code 35)', 'IMPORT_TIMEOUT'],
        [23, 'rsync: [sender] change_dir "x" (in m) failed', 'IMPORT_PARTIAL'],
        [24, 'file has vanished: "a"', 'IMPORT_UNSTABLE'],
        [12, 'rsync: connection unexpectedly closed', 'IMPORT_INTERRUPTED'],
        [20, 'rsync error: received SIGINT, SIGTERM, or SIGHUP (code 20)', 'IMPORT_INTERRUPTED'],
        [null, '', 'IMPORT_INTERRUPTED'],
        [11, 'rsync: write failed: No space left on device (28)', 'IMPORT_FAILED'],
    ];
    for (const [exit, stderr, code] of cases) {
        const error = rsyncFailure(exit, exit === null ? 'SIGKILL' : null, `${stderr}\n`);
        t.equal(error.code, code, `exit ${exit}: ${stderr}`);
        t.equal(error.details?.rsyncExitCode, exit);
    }
    t.match(rsyncFailure(5, null, 'junk\n@ERROR: Unknown module \'x\'\nrsync error: error starting client-server protocol (code 5)\n').message, /@ERROR: Unknown module/);
});
//# sourceMappingURL=import-rules.unit.js.map