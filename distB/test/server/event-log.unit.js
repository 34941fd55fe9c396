import t from 'tap';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventLog } from '../../server/events/event-log.js';
import { tempDir } from './harness.js';
t.test('the event log resumes from retained ids, resets older ones, and survives a reopen', async (t) => {
    const dir = tempDir(t);
    mkdirSync(join(dir, 'tmp'));
    const log = new EventLog(dir, 3);
    log.init();
    t.same(log.since(0), [], 'an empty log resumes from 0');
    for (let seq = 1; seq <= 5; seq++)
        log.append('release', 'web', { seq });
    t.equal(log.latestId, 5);
    t.equal(log.since(0), undefined, 'ids older than the retained window need a reset');
    t.equal(log.since(1), undefined);
    t.same(log.since(2).map((event) => event.id), [3, 4, 5], 'the retained window replays');
    t.same(log.since(5), [], 'up to date');
    t.equal(log.since(6), undefined, 'an id never issued needs a reset');
    log.close();
    const reopened = new EventLog(dir, 3);
    reopened.init();
    t.equal(reopened.latestId, 5, 'ids continue after a restart');
    t.same(reopened.since(3).map((event) => event.data), [{ seq: 4 }, { seq: 5 }]);
    for (let seq = 6; seq <= 20; seq++)
        reopened.append('release', 'web', { seq });
    t.ok(readFileSync(join(dir, 'events.jsonl'), 'utf8').trim().split('\n').length <= 6, 'the file is compacted to the retained window');
    reopened.close();
});
//# sourceMappingURL=event-log.unit.js.map