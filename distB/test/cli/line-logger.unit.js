import t from 'tap';
import { createLineLogger } from '../../cli/line-logger.js';
t.test('pino\'s JSON line format: level number, time, pid, hostname, name, bindings, fields, msg', async (t) => {
    const lines = [];
    const log = createLineLogger({ name: 'reload-hook', level: 'info' }, (line) => lines.push(line));
    const before = Date.now();
    log.child({ app: 'shop', pod: 'web-1' }).info({ seq: 7 }, 'reload started');
    t.equal(lines.length, 1);
    t.ok(lines[0].endsWith('\n'), 'one line');
    const line = JSON.parse(lines[0]);
    t.match(line, { level: 30, pid: process.pid, name: 'reload-hook', app: 'shop', pod: 'web-1', seq: 7, msg: 'reload started' });
    t.ok(line.time >= before && typeof line.hostname === 'string');
});
t.test('levels below the threshold are dropped; children keep the parent\'s bindings', async (t) => {
    const lines = [];
    const log = createLineLogger({ name: 'x', level: 'warn' }, (line) => lines.push(line));
    log.debug({}, 'no');
    log.info({}, 'no');
    log.warn({ a: 1 }, 'yes');
    log.child({ b: 2 }).child({ c: 3 }).error({}, 'also');
    t.same(lines.map((line) => JSON.parse(line).msg), ['yes', 'also']);
    t.match(JSON.parse(lines[1]), { level: 50, b: 2, c: 3 });
    t.equal(JSON.parse(lines[0]).level, 40);
});
//# sourceMappingURL=line-logger.unit.js.map