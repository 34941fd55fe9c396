import t from 'tap';
import { collectKeyValue, parseBytes, parseInteger, parseListen, parseSelectorFlag } from '../../cli/options.js';
const usage = { code: 'USAGE' };
t.test('parseListen: HOST:PORT, :PORT, PORT, [IPv6]:PORT', async (t) => {
    t.same(parseListen('127.0.0.1:7400'), { host: '127.0.0.1', port: 7400 });
    t.same(parseListen(':7401'), { host: '0.0.0.0', port: 7401 }, 'no host: every address');
    t.same(parseListen('7402'), { host: '0.0.0.0', port: 7402 });
    t.same(parseListen('localhost:0'), { host: 'localhost', port: 0 }, 'port 0: any free port');
    t.same(parseListen('[::1]:7400'), { host: '::1', port: 7400 });
    t.same(parseListen(' :80 '), { host: '0.0.0.0', port: 80 }, 'surrounding whitespace');
    for (const bad of ['', 'host', 'host:', ':65536', 'host:-1', 'host:80x', ':1.5'])
        t.throws(() => parseListen(bad), usage, JSON.stringify(bad));
});
t.test('parseInteger: whole numbers at or above the minimum', async (t) => {
    t.equal(parseInteger('keep-releases', 1)('3'), 3);
    t.equal(parseInteger('max-concurrent-pulls')('0'), 0, 'the default minimum is 0');
    t.throws(() => parseInteger('keep-releases', 1)('0'), { code: 'USAGE', message: /--keep-releases must be an integer >= 1, got "0"/ }, 'below the minimum, named in the message');
    for (const bad of ['1.5', '-1', 'three', 'NaN', 'Infinity'])
        t.throws(() => parseInteger('n')(bad), usage, JSON.stringify(bad));
});
t.test('parseInteger refuses an empty value (an empty CODESYNC_* variable)', async (t) => {
    t.throws(() => parseInteger('max-concurrent-pulls')(''), usage, 'empty');
    t.throws(() => parseInteger('gc-grace-seconds')(' '), usage, 'blank');
});
t.test('parseBytes: SI and binary units, any case, plain bytes', async (t) => {
    const bytes = parseBytes('max-bandwidth');
    t.equal(bytes('1048576'), 1_048_576, 'plain bytes');
    t.equal(bytes('200MiB'), 200 * 1024 * 1024);
    t.equal(bytes('50mb'), 50_000_000);
    t.equal(bytes('1.5KiB'), 1536, 'fractions');
    t.equal(bytes('2 GiB'), 2 * 1024 ** 3, 'a space before the unit');
    t.equal(bytes('10k'), 10_000);
    t.equal(bytes('7b'), 7);
    for (const bad of ['', 'MiB', '-1MiB', '10 parsecs', '1e3', '10MiBs'])
        t.throws(() => bytes(bad), { code: 'USAGE', message: /--max-bandwidth must be a size/ }, JSON.stringify(bad));
});
t.test('collectKeyValue: repeatable k=v into a map', async (t) => {
    const first = collectKeyValue('commit=abc');
    t.same(first, { commit: 'abc' });
    t.same(collectKeyValue('url=https://x/?a=b', first), { commit: 'abc', url: 'https://x/?a=b' }, 'only the first = splits');
    t.same(collectKeyValue('empty=', first), { commit: 'abc', empty: '' }, 'an empty value is allowed');
    t.same(first, { commit: 'abc' }, 'the previous map is not modified');
    t.same(collectKeyValue('commit=def', first), { commit: 'def' }, 'a repeated key: the last wins');
    for (const bad of ['novalue', '=value', ''])
        t.throws(() => collectKeyValue(bad), usage, JSON.stringify(bad));
});
t.test('parseSelectorFlag: a bad selector is a usage error before any request', async (t) => {
    t.equal(parseSelectorFlag('tier=web'), 'tier=web', 'returned unchanged');
    t.throws(() => parseSelectorFlag('tier in (web'), { code: 'USAGE', message: /--selector "tier in \(web"/ });
});
//# sourceMappingURL=options.unit.js.map