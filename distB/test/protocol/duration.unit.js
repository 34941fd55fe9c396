import t, {} from 'tap';
import { DURATION_PATTERN, durationFlag, parseDuration } from '../../protocol/duration.js';
t.test('a whole number and a unit, in milliseconds', async (t) => {
    t.equal(parseDuration('500ms', 'interval'), 500);
    t.equal(parseDuration('30s', 'interval'), 30_000);
    t.equal(parseDuration('5m', 'interval'), 300_000);
    t.equal(parseDuration('1h', 'interval'), 3_600_000);
    t.equal(parseDuration('0s', 'interval'), 0);
    t.equal(parseDuration('05s', 'interval'), 5_000, 'leading zeros');
    t.equal(parseDuration('999999999h', 'interval'), 999_999_999 * 3_600_000, 'nine digits, still a safe integer');
    t.ok(Number.isSafeInteger(parseDuration('999999999h', 'interval')));
});
t.test('anything else is INVALID_REQUEST naming the field and the value', async (t) => {
    for (const bad of ['', '30', '1.5s', '-1s', '1d', '30 s', ' 30s', '30S', '1000000000s', 'ms', 30, null, undefined]) {
        t.throws(() => parseDuration(bad, 'importInterval'), { code: 'INVALID_REQUEST', message: /^importInterval must be a duration such as 30s/ }, JSON.stringify(bad) ?? 'undefined');
    }
});
t.test('DURATION_PATTERN accepts exactly what parseDuration accepts (it is published in schemas)', async (t) => {
    const re = new RegExp(DURATION_PATTERN);
    for (const value of ['1ms', '30s', '5m', '1h', '1.5s', '1d', '30', '']) {
        let parses = true;
        try {
            parseDuration(value, 'x');
        }
        catch {
            parses = false;
        }
        t.equal(re.test(value), parses, JSON.stringify(value));
    }
});
/** Each `[text, milliseconds, why]` parses to its value; each of `bad` is refused with `error`. */
function checkFlag(t, parse, good, bad, error) {
    for (const [text, ms, why] of good)
        t.equal(parse(text), ms, why ?? JSON.stringify(text));
    for (const text of bad)
        t.throws(() => parse(text), error, JSON.stringify(text));
}
// The flags' parser: one syntax for every duration flag, a bare number in the flag's own unit.
t.test('durationFlag: ms, s, m, h, or a bare number of milliseconds (agent, debounce flags)', async (t) => {
    const good = [
        ['500', 500, 'a plain number is milliseconds'],
        ['500ms', 500],
        ['30s', 30_000],
        ['10m', 600_000],
        ['24h', 86_400_000],
        ['1.5s', 1500, 'fractions'],
        ['0', 0, '0 turns the feature off'],
        [' 2m ', 120_000, 'surrounding whitespace'],
    ];
    checkFlag(t, durationFlag('verify-interval', 'ms'), good, ['', 'm', '-1s', '1d', '10 m', 'ten minutes'], { code: 'USAGE', message: /invalid duration/ });
});
t.test('durationFlag: units, or plain seconds (timeouts)', async (t) => {
    const good = [
        ['300', 300_000, 'a plain number is seconds'],
        ['90s', 90_000],
        ['5m', 300_000],
        ['1h', 3_600_000],
        ['500ms', 500],
        ['1.5', 1500, 'fractions of a second'],
    ];
    checkFlag(t, durationFlag('timeout', 's'), good, ['', '5 m', '-5s', '5d', 'soon'], { code: 'USAGE', message: /--timeout/ });
});
t.test('durationFlag: the error names the flag and what a bare number means; a minimum is enforced', async (t) => {
    t.throws(() => durationFlag('slot-ttl', 's')('soon'), { code: 'USAGE', message: /^--slot-ttl: invalid duration "soon".*a bare number is seconds/ });
    t.throws(() => durationFlag('debounce', 'ms')('x'), { message: /a bare number is milliseconds/ });
    const ttl = durationFlag('slot-ttl', 's', 1000);
    t.equal(ttl('1'), 1000, 'the minimum itself');
    t.throws(() => ttl('500ms'), { code: 'USAGE', message: /--slot-ttl must be at least 1000 ms/ });
    t.throws(() => durationFlag('x', 'h')('99999999999999'), { code: 'USAGE' }, 'beyond a safe integer of milliseconds');
});
//# sourceMappingURL=duration.unit.js.map