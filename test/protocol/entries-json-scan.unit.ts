import t from 'tap';
import { CanonicalLines } from '../../protocol/compact-manifest-builder.js';
import { EntriesObjectScan, scanEntriesObject } from '../../protocol/entries-json-scan.js';

const sha = `${'a'.repeat(63)}1`;
const entry = `{"sha256":"${sha}", "size":1,"mode":420,"type":"file","path":"a\\u002fb \\" c é\\\\"}`;
const texts = [
  ` \n{ "meta" : {"k":"v [ { \\" "} ,\t"entries" : [ ${entry} ,{"path":"dir","type":"dir","mode":493}], "n": -12.5e3, "t": true } \r\n`,
  `{"entries":[]}`,
  `{}`,
  `{"entries":"not an array","x":null}`,
  `{"entries":[${entry}],"entries":[]}`,
  `{"entries":[${entry},]}`,
  `{"entries":[${entry}]} x`,
  `{"entries":[${entry}]`,
  `{"entries":[${entry}`,
  `{"n":12`,
  `{"__proto__":{"x":1},"entries":[]}`,
  `\ufeff{"entries":[]}`,
  `[]`,
  ``,
  `{"entries":[tru]}`,
  `{"entries" [] }`,
];

/** What a scan gives: the members, with the entries as their lines, or the failure. */
function outcome(run: () => Record<string, unknown>): unknown {
  try {
    const out = run();
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v instanceof CanonicalLines ? { count: v.count, text: v.finish().text.toString() } : v]));
  } catch {
    return 'refused';
  }
}

t.test('a text pushed in chunks of any size reads as the text whole', async (t) => {
  for (const text of texts) {
    const bytes = Buffer.from(text);
    const whole = outcome(() => scanEntriesObject(bytes));
    for (const size of [1, 2, 3, 7, 64]) {
      const chunked = outcome(() => {
        const scan = new EntriesObjectScan();
        for (let at = 0; at < bytes.length; at += size) scan.push(bytes.subarray(at, at + size));
        return scan.end();
      });
      t.same(chunked, whole, `${JSON.stringify(text).slice(0, 40)} in chunks of ${size}`);
    }
  }
  t.match(outcome(() => scanEntriesObject(Buffer.from(texts[0]!))), { n: -12500, t: true, meta: { k: 'v [ { " ' }, entries: { count: 2 } }, 'members parsed, entries as lines');
  t.equal(outcome(() => scanEntriesObject(Buffer.from(`{"entries":[${entry}]} x`))), 'refused', 'text after the object');
  t.equal(outcome(() => scanEntriesObject(Buffer.from(`{"n":12`))), 'refused', 'an object not closed');
});

t.test('only the value not yet complete is kept between chunks', async (t) => {
  const scan = new EntriesObjectScan();
  scan.push(Buffer.from(`{"entries":[${entry},${entry.slice(0, 10)}`));
  t.equal((scan as unknown as { pending: Buffer }).pending.toString(), entry.slice(0, 10));
  scan.push(Buffer.from(`${entry.slice(10)}]}`));
  t.equal((scan.end().entries as CanonicalLines).count, 2);
});
