import t from 'tap';
import { parseRange } from '../../../server/http/range.js';
t.test('no Range header, or one not to be honoured: the whole body', async (t) => {
    for (const header of [undefined, '', 'bytes=-', 'bytes=0-1,4-5', 'items=0-1', 'bytes=a-b', 'bytes=1', 'bytes=--1']) {
        t.equal(parseRange(header, 100), undefined, JSON.stringify(header));
    }
});
t.test('first-last: inclusive offsets, last clamped to the body', async (t) => {
    t.same(parseRange('bytes=0-0', 100), { start: 0, end: 0 }, 'the first byte');
    t.same(parseRange('bytes=0-99', 100), { start: 0, end: 99 }, 'all of it');
    t.same(parseRange('bytes=10-19', 100), { start: 10, end: 19 });
    t.same(parseRange('bytes=90-1000', 100), { start: 90, end: 99 }, 'last past the end is clamped (RFC 9110 14.1.2)');
    t.same(parseRange('bytes=99-99', 100), { start: 99, end: 99 }, 'the last byte');
    t.same(parseRange('  bytes=1-2  ', 100), { start: 1, end: 2 }, 'surrounding whitespace is ignored');
});
t.test('first-: from an offset to the end, as a resumed download asks', async (t) => {
    t.same(parseRange('bytes=0-', 100), { start: 0, end: 99 });
    t.same(parseRange('bytes=64-', 100), { start: 64, end: 99 });
    t.same(parseRange('bytes=99-', 100), { start: 99, end: 99 });
});
t.test('-suffix: the last N bytes, at most the whole body', async (t) => {
    t.same(parseRange('bytes=-1', 100), { start: 99, end: 99 });
    t.same(parseRange('bytes=-10', 100), { start: 90, end: 99 });
    t.same(parseRange('bytes=-500', 100), { start: 0, end: 99 }, 'a suffix longer than the body is the whole body');
});
t.test('unsatisfiable: starts at or past the end, empty suffix, empty body, backwards', async (t) => {
    t.equal(parseRange('bytes=100-', 100), 'unsatisfiable', 'first byte past the end');
    t.equal(parseRange('bytes=100-200', 100), 'unsatisfiable');
    t.equal(parseRange('bytes=-0', 100), 'unsatisfiable', 'a zero-length suffix');
    t.equal(parseRange('bytes=0-', 0), 'unsatisfiable', 'nothing to send of an empty body');
    t.equal(parseRange('bytes=-5', 0), 'unsatisfiable', 'a suffix of an empty body');
    t.equal(parseRange('bytes=5-3', 100), 'unsatisfiable', 'last before first');
    t.equal(parseRange('bytes=99999999999999999999-', 100), 'unsatisfiable', 'an offset beyond any integer');
});
t.test('every satisfiable answer lies inside the body', async (t) => {
    for (const size of [1, 2, 7, 100]) {
        for (const header of ['bytes=0-', 'bytes=-1', `bytes=-${size + 3}`, `bytes=${size - 1}-`, `bytes=0-${size * 2}`, 'bytes=1-1']) {
            const range = parseRange(header, size);
            if (range === undefined || range === 'unsatisfiable')
                continue;
            t.ok(range.start >= 0 && range.start <= range.end && range.end < size, `${header} on ${size} bytes gives ${range.start}-${range.end}`);
        }
    }
});
//# sourceMappingURL=range.unit.js.map