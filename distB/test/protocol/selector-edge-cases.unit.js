import t from 'tap';
import { parseLabels, parseSelector } from '../../protocol/selector.js';
// Cases test/protocol/selector.test.ts leaves out: empty values, absent keys under each operator,
// contradictions, key and value syntax at its limits, and where the parentheses may go.
const matches = (source, labels) => parseSelector(source).matches(labels);
t.test('an empty value is a value: it matches an empty label, never an absent one', async (t) => {
    t.ok(matches('env=', { env: '' }));
    t.notOk(matches('env=', {}), 'absent is not empty');
    t.notOk(matches('env!=', { env: '' }));
    t.ok(matches('env!=', {}), '!= matches an absent key');
    t.ok(matches('env!=', { env: 'pre' }));
    t.notOk(matches('!env', { env: '' }), 'a key with an empty value exists');
    t.ok(matches('env', { env: '' }));
});
t.test('absent keys: in and exists fail, notin and !exists hold', async (t) => {
    t.notOk(matches('tier in (web)', {}));
    t.ok(matches('tier notin (web)', {}));
    t.notOk(matches('tier', {}));
    t.ok(matches('!tier', {}));
    t.ok(matches('', {}), 'the empty selector selects a node without labels');
    t.ok(matches('   ', { env: 'pre' }), 'a blank selector too');
});
t.test('requirements are ANDed: a contradiction selects nothing', async (t) => {
    t.notOk(matches('env=pre,env!=pre', { env: 'pre' }));
    t.notOk(matches('env=pre,env!=pre', {}));
    t.notOk(matches('tier,!tier', { tier: 'web' }));
});
t.test('keys and values are case-sensitive and compared whole', async (t) => {
    t.notOk(matches('Env=pre', { env: 'pre' }), 'key case');
    t.notOk(matches('env=Pre', { env: 'pre' }), 'value case');
    t.notOk(matches('env=pr', { env: 'pre' }), 'no prefix match');
    t.notOk(matches('tier in (we,eb)', { tier: 'web' }), 'no substring match in a set');
    t.ok(matches('hasOwnProperty', { hasOwnProperty: 'x' }), 'a key named like an Object method is a plain key');
    t.notOk(matches('constructor', {}), 'and is absent when not set');
});
t.test('set values are trimmed; the parenthesis may follow the operator directly', async (t) => {
    t.same(parseSelector('tier in ( web , api )').requirements, [{ key: 'tier', op: 'in', values: ['web', 'api'] }]);
    t.ok(matches('tier in(web)', { tier: 'web' }));
    t.ok(matches('tier notin(api)', { tier: 'web' }));
    t.same(parseSelector('env==pre').requirements, parseSelector('env=pre').requirements, '== is =');
});
t.test('key and value syntax at its limits', async (t) => {
    const name63 = 'a'.repeat(63);
    t.ok(matches(`${name63}=${name63}`, { [name63]: name63 }), '63-character name and value');
    t.throws(() => parseSelector(`${name63}a=x`), { code: 'INVALID_SELECTOR' }, '64-character name');
    t.ok(matches('example.com/tier=web', { 'example.com/tier': 'web' }), 'a DNS prefix');
    t.throws(() => parseSelector('Example.com/tier=web'), { code: 'INVALID_SELECTOR' }, 'the prefix is lowercase DNS');
    t.throws(() => parseSelector(`${'a'.repeat(254)}/tier=web`), { code: 'INVALID_SELECTOR' }, 'a prefix over 253 characters');
    t.throws(() => parseSelector('a/b/c=x'), { code: 'INVALID_SELECTOR' }, 'one slash at most');
    t.ok(matches('v=a_b.c-d', { v: 'a_b.c-d' }), "'_', '.', '-' inside a value");
    for (const value of ['-a', 'a-', '_a', 'a.'])
        t.throws(() => parseSelector(`v=${value}`), { code: 'INVALID_SELECTOR' }, `value ${value} must start and end alphanumeric`);
});
t.test('malformed selectors are refused with INVALID_SELECTOR and quoted in the message', async (t) => {
    for (const source of ['tier in ((web))', ')tier(', 'tier in (web))', 'env=pre,', ',env=pre', '!env=pre', 'env=pre=x', 'tierin (web)', 'tier in web', 'tier notin ( )']) {
        t.throws(() => parseSelector(source), { code: 'INVALID_SELECTOR', message: new RegExp(`invalid node selector ${JSON.stringify(source).replace(/[()[\]\\.*+?^$|{}]/g, '\\$&')}`) }, JSON.stringify(source));
    }
});
t.test('parseLabels: a bare key is an empty value; blank parts are skipped; the last repeat wins', async (t) => {
    t.same(parseLabels('canary'), { canary: '' });
    t.same(parseLabels('a=1,,b=2, '), { a: '1', b: '2' });
    t.same(parseLabels('a=1,a=2'), { a: '2' });
    t.ok(parseSelector('canary,!spot').matches(parseLabels('canary')), 'labels parsed from --labels are matched as written');
    t.throws(() => parseLabels('a=b=c'), { code: 'INVALID_SELECTOR' });
});
//# sourceMappingURL=selector-edge-cases.unit.js.map