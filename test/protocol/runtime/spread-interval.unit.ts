import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { spreadInterval } from '../../../protocol/runtime/spread-interval.js';

// Real timers, with phases the test chooses, so the order is known whatever the machine's load.
const PERIOD_MS = 100;

t.test('runs start at their phase of the period, in phase order, then keep the period', async (t) => {
  const controller = new AbortController();
  const runs: string[] = [];
  spreadInterval(PERIOD_MS, () => runs.push('late'), controller.signal, 0.9);
  spreadInterval(PERIOD_MS, () => runs.push('early'), controller.signal, 0.05);
  await sleep(PERIOD_MS * 6);
  controller.abort();
  // Timers fire in the order they are due, however late a loaded machine runs them.
  t.same(runs.slice(0, 2), ['early', 'late'], 'the one phased early ran first');
  t.ok(runs.filter((run) => run === 'early').length >= 3, `the early one ran every period after its first: ${runs.join(',')}`);
  t.ok(runs.filter((run) => run === 'late').length >= 2, `so did the late one: ${runs.join(',')}`);
});

t.test('an abort stops it, before the first run or after', async (t) => {
  const before = new AbortController();
  const after = new AbortController();
  let beforeRuns = 0;
  let afterRuns = 0;
  spreadInterval(PERIOD_MS, () => beforeRuns++, before.signal, 0.5);
  spreadInterval(PERIOD_MS, () => afterRuns++, after.signal, 0);
  before.abort();
  await sleep(PERIOD_MS * 1.5);
  after.abort();
  const ranBeforeAbort = afterRuns;
  await sleep(PERIOD_MS * 3);
  t.equal(beforeRuns, 0, 'aborted before its first run: never ran');
  t.ok(ranBeforeAbort >= 1, 'the other ran before its abort');
  t.equal(afterRuns, ranBeforeAbort, 'and never after it');
});

t.test('an already aborted signal starts nothing', async (t) => {
  let runs = 0;
  spreadInterval(PERIOD_MS, () => runs++, AbortSignal.abort(), 0);
  await sleep(PERIOD_MS * 1.5);
  t.equal(runs, 0);
});
