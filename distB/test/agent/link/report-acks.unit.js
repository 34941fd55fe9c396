import t from 'tap';
import { ackBudget, REPORT_ACK_BOUNDS, reportedAcks } from '../../../agent/link/report-acks.js';
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const ack = (pod, ok, second, message) => ({ pod, seq: 1, ok, at: new Date(T0 + second * 1000).toISOString(), ...(message === undefined ? {} : { message }) });
t.test('failures first, then the newest; the input is left as it was', async (t) => {
    const acks = [ack('old-ok', true, 1), ack('old-fail', false, 2), ack('new-ok', true, 5), ack('new-fail', false, 4)];
    const before = JSON.stringify(acks);
    t.same(reportedAcks(acks, ackBudget()).map((kept) => kept.pod), ['new-fail', 'old-fail', 'new-ok', 'old-ok']);
    t.equal(JSON.stringify(acks), before);
});
t.test('a long message keeps its tail, where the error is', async (t) => {
    const message = `${'x'.repeat(1000)}the error`;
    const [kept] = reportedAcks([ack('p', false, 1, message)], ackBudget());
    t.equal(kept.message.length, REPORT_ACK_BOUNDS.messageChars);
    t.ok(kept.message.endsWith('the error'));
    t.equal(reportedAcks([ack('p', false, 1, 'short')], ackBudget())[0].message, 'short', 'a short one is kept whole');
});
t.test('at most perApp acks of one app', async (t) => {
    const acks = Array.from({ length: REPORT_ACK_BOUNDS.perApp + 50 }, (_, i) => ack(`pod-${i}`, true, i));
    const kept = reportedAcks(acks, ackBudget());
    t.equal(kept.length, REPORT_ACK_BOUNDS.perApp);
    t.equal(kept[0].pod, `pod-${REPORT_ACK_BOUNDS.perApp + 49}`, 'the newest are the ones kept');
});
t.test('the byte budget is shared by every app of a report and never overdrawn', async (t) => {
    const message = 'm'.repeat(REPORT_ACK_BOUNDS.messageChars);
    const many = (app) => Array.from({ length: REPORT_ACK_BOUNDS.perApp }, (_, i) => ack(`${app}-pod-${i}`, false, i, message));
    const budget = ackBudget();
    const first = reportedAcks(many('web'), budget);
    const second = reportedAcks(many('api'), budget);
    const third = reportedAcks(many('shop'), budget);
    const used = [...first, ...second, ...third].reduce((sum, kept) => sum + Buffer.byteLength(JSON.stringify(kept)) + 1, 0);
    t.ok(used <= REPORT_ACK_BOUNDS.totalBytes, `${used} bytes within ${REPORT_ACK_BOUNDS.totalBytes}`);
    t.equal(budget.bytes, REPORT_ACK_BOUNDS.totalBytes - used, 'the budget says what is left');
    t.equal(first.length, REPORT_ACK_BOUNDS.perApp, 'the first app fits whole');
    t.ok(second.length < REPORT_ACK_BOUNDS.perApp, 'a later app gets what is left');
    t.same(third, [], 'and once it is spent, nothing');
});
//# sourceMappingURL=report-acks.unit.js.map