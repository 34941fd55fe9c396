import t from 'tap';
import { fixMallocThresholds } from '../../agent/malloc-thresholds.js';
t.test('the agent fixes glibc malloc thresholds where there is glibc', { skip: process.platform !== 'linux' ? 'glibc only' : false }, async (t) => {
    t.equal(fixMallocThresholds(), true, 'mallopt(M_TRIM_THRESHOLD) and mallopt(M_MMAP_THRESHOLD) accepted');
});
//# sourceMappingURL=malloc-thresholds.test.js.map