import t from 'tap';
import { parseLabels, parseSelector, selectorProblem } from '../../protocol/selector.js';
const node = { env: 'pre', tier: 'web', 'topology.kubernetes.io/zone': 'a' };
t.test('equality and set-based requirements', async (t) => {
    const cases = [
        ['', true],
        ['env=pre', true],
        ['env==pre', true],
        ['env=prod', false],
        ['env!=prod', true],
        ['missing!=x', true],
        ['tier in (web,api)', true],
        ['tier in (api)', false],
        ['tier notin (api, batch)', true],
        ['missing notin (a)', true],
        ['canary', false],
        ['!canary', true],
        ['tier', true],
        ['env=pre,tier in (web,api),!canary', true],
        ['env=pre,tier in (api),!canary', false],
        ['topology.kubernetes.io/zone=a', true],
        [' env = pre , tier ', true],
    ];
    for (const [source, expected] of cases)
        t.equal(parseSelector(source).matches(node), expected, JSON.stringify(source));
});
t.test('invalid selectors are refused with INVALID_SELECTOR', async (t) => {
    for (const source of ['env=', 'tier in (web', 'tier in ()', '=x', 'env=a b', ',', 'a,,b', 'bad key=1', 'k=' + 'v'.repeat(64)]) {
        if (source === 'env=') {
            // An empty value is legal in Kubernetes: it matches a label whose value is empty.
            t.equal(selectorProblem(source), undefined, 'env= is valid');
            continue;
        }
        t.throws(() => parseSelector(source), { code: 'INVALID_SELECTOR' }, JSON.stringify(source));
    }
});
t.test('parseLabels reads the --labels flag', async (t) => {
    t.same(parseLabels('env=pre, tier=web'), { env: 'pre', tier: 'web' });
    t.same(parseLabels(''), {});
    t.throws(() => parseLabels('bad key=1'), { code: 'INVALID_SELECTOR' });
});
//# sourceMappingURL=selector.unit.js.map