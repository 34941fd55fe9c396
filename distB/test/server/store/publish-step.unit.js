import t from 'tap';
import { CompactManifest } from '../../../protocol/compact-manifest.js';
import { diffManifests } from '../../../protocol/delta.js';
import { publishStep } from '../../../server/store/publish-step.js';
import { randomPair } from '../../helpers/random-manifest.js';
import { seededRandom } from '../../helpers/seeded-random.js';
/** Each [base index, target index] pair a run covers: runs cut differently cover the same pairs. */
function pairsOf(runs) {
    const pairs = [];
    for (let r = 0; r < runs.length; r += 3)
        for (let k = 0; k < runs[r + 2]; k++)
            pairs.push(`${runs[r] + k}:${runs[r + 1] + k}`);
    return pairs;
}
function shuffled(random, items) {
    for (let i = items.length - 1; i > 0; i--) {
        const j = random.int(i + 1);
        [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
}
t.test('the step of a delta publish is what comparing base and target gives', async (t) => {
    const random = seededRandom(t);
    const rounds = 300;
    let failures = 0;
    for (let round = 0; round < rounds && failures < 3; round++) {
        const pair = randomPair(random);
        const delta = diffManifests(pair.base, pair.target);
        // A client may name an entry as changed that it left as it was, and send any order.
        const kept = pair.target.filter((entry) => pair.base.some((old) => old.path === entry.path && JSON.stringify(old) === JSON.stringify(entry)));
        const sent = { added: shuffled(random, [...delta.added]), changed: shuffled(random, [...delta.changed, ...kept.filter(() => random.next() < 0.3)]), removed: shuffled(random, [...delta.removed]) };
        const base = CompactManifest.fromSorted(pair.base);
        const target = base.applyDelta(sent);
        const step = publishStep(7, base, target, sent);
        const same = JSON.stringify(step.delta) === JSON.stringify(base.diff(target)) && JSON.stringify(pairsOf(step.runs)) === JSON.stringify(pairsOf(base.sharedRuns(target)));
        if (!same) {
            failures++;
            t.same({ delta: step.delta, runs: pairsOf(step.runs) }, { delta: base.diff(target), runs: pairsOf(base.sharedRuns(target)) }, `seed ${random.seed} round ${round}`);
        }
        if (step.base !== 7)
            failures++;
    }
    t.equal(failures, 0, `${rounds} random deltas (seed ${random.seed})`);
});
//# sourceMappingURL=publish-step.unit.js.map