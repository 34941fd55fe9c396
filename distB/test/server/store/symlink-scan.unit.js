import t from 'tap';
import { CompactManifest } from '../../../protocol/compact-manifest.js';
import { mayHoldSymlink } from '../../../server/store/symlink-scan.js';
const file = (path) => ({ path, type: 'file', mode: 0o644, size: 1, sha256: '0'.repeat(64) });
const link = (path, target) => ({ path, type: 'symlink', mode: 0o777, target });
const dir = (path) => ({ path, type: 'dir', mode: 0o755 });
t.test('finds a link wherever its line is; a tree without one answers false', async (t) => {
    t.equal(mayHoldSymlink(CompactManifest.fromSorted([])), false, 'empty');
    t.equal(mayHoldSymlink(CompactManifest.fromSorted([dir('a'), file('a/symlink'), file('symlink\tx')])), false, 'names that spell the type are no link');
    t.equal(mayHoldSymlink(CompactManifest.fromSorted([link('a', 'b'), file('b')])), true, 'the first line');
    t.equal(mayHoldSymlink(CompactManifest.fromSorted([file('a'), link('m', 'a'), file('z')])), true, 'a middle line');
    t.equal(mayHoldSymlink(CompactManifest.fromSorted([file('a'), link('z', '/etc')])), true, 'the last line');
});
//# sourceMappingURL=symlink-scan.unit.js.map