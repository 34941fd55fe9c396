import t from 'tap';
import { parseDuration } from '../../../cli/commands/agent.js';

t.test('parseDuration: ms, s, m, h, or plain milliseconds', async (t) => {
  t.equal(parseDuration('500'), 500, 'a plain number is milliseconds');
  t.equal(parseDuration('500ms'), 500);
  t.equal(parseDuration('30s'), 30_000);
  t.equal(parseDuration('10m'), 600_000);
  t.equal(parseDuration('24h'), 86_400_000);
  t.equal(parseDuration('1.5s'), 1500, 'fractions');
  t.equal(parseDuration('0'), 0, '0 turns the feature off');
  t.equal(parseDuration(' 2m '), 120_000, 'surrounding whitespace');
  for (const bad of ['', 'm', '-1s', '1d', '10 m', 'ten minutes']) t.throws(() => parseDuration(bad), { code: 'USAGE', message: /invalid duration/ }, JSON.stringify(bad));
});
