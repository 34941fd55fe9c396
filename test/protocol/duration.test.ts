import t from 'tap';
import { DURATION_PATTERN, parseDuration } from '../../protocol/duration.js';

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
    } catch {
      parses = false;
    }
    t.equal(re.test(value), parses, JSON.stringify(value));
  }
});
