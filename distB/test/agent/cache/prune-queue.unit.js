import t from 'tap';
import { access, link, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PRUNE_GRACE_MS, PruneQueue } from '../../../agent/cache/prune-queue.js';
import { tempDir } from '../fixtures.js';
const exists = (path) => access(path).then(() => true, () => false);
/** A cache root with a shard, and a queue whose clock the test moves. */
async function queueIn(t) {
    const dir = tempDir(t, 'codesync-prune-queue-');
    const shard = join(dir, 'sha256', 'ab');
    await mkdir(shard, { recursive: true });
    const clock = { now: Date.now() };
    return { dir, shard, queue: new PruneQueue(join(dir, 'sha256'), () => false, () => clock.now), clock };
}
t.test('a noted object stays through its grace period; once due, one no release links goes, one still linked stays and is forgotten', async (t) => {
    const { dir, shard, queue, clock } = await queueIn(t);
    const unlinked = join(shard, 'unlinked-0644');
    const linked = join(shard, 'linked-0644');
    await writeFile(unlinked, 'a');
    await writeFile(linked, 'b');
    await link(linked, join(dir, 'a-release-file'));
    queue.note([unlinked, linked]);
    const signal = new AbortController().signal;
    t.equal(await queue.prune(signal), 0, 'nothing removed within the grace period');
    t.ok(await exists(unlinked), 'the unlinked object is still there');
    t.equal(queue.pending, 2, 'both still noted');
    clock.now += PRUNE_GRACE_MS + 1000;
    t.equal(await queue.prune(signal), 1, 'one removed once due');
    t.notOk(await exists(unlinked), 'the object no release links is gone');
    t.ok(await exists(linked), 'the linked one stays');
    t.equal(queue.pending, 0, 'neither is noted any more');
});
t.test('a walk notes the unlinked objects within their grace period instead of walking the cache again', async (t) => {
    const { shard, queue, clock } = await queueIn(t);
    const young = [join(shard, 'young-1-0644'), join(shard, 'young-2-0644')];
    for (const path of young)
        await writeFile(path, path);
    queue.note('all');
    const signal = new AbortController().signal;
    t.equal(await queue.prune(signal), 0, 'the walk removes nothing within the grace period');
    t.equal(queue.pending, 2, 'the two objects it found are noted, no walk is');
    // Not noted and never walked again: a later prune leaves it to whoever notes it.
    const later = join(shard, 'fetched-later-0644');
    await writeFile(later, 'c');
    clock.now += PRUNE_GRACE_MS + 1000;
    t.equal(await queue.prune(signal), 2, 'the noted objects go once due');
    for (const path of young)
        t.notOk(await exists(path), `${path} removed`);
    t.ok(await exists(later), 'an object the walk never saw is not looked at');
    t.equal(queue.pending, 0, 'nothing left to check');
});
//# sourceMappingURL=prune-queue.unit.js.map