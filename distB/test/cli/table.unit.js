import t from 'tap';
import { table } from '../../cli/table.js';
t.test('columns padded to their widest cell, two spaces apart, last column ragged', async (t) => {
    const out = table(['APP', 'SEQ', 'DIGEST'], [['web', '12', 'sha256:aa'], ['billing-api', '3', 'sha256:b']]);
    t.equal(out, ['APP          SEQ  DIGEST', 'web          12   sha256:aa', 'billing-api  3    sha256:b', ''].join('\n'));
});
t.test('no rows: the header alone; short rows: missing cells are empty', async (t) => {
    t.equal(table(['NODE', 'STATE'], []), 'NODE  STATE\n');
    t.equal(table(['A', 'B', 'C'], [['xyz']]), 'A    B  C\nxyz\n', 'a row with fewer cells ends where its cells end');
});
//# sourceMappingURL=table.unit.js.map