import t from 'tap';
import { capMallocArenas } from '../../../protocol/runtime/malloc-arenas.js';
t.test('the agent and the server cap glibc malloc arenas where there is glibc', { skip: process.platform !== 'linux' ? 'glibc only' : false }, async (t) => {
    t.equal(capMallocArenas(), true, 'mallopt(M_ARENA_MAX) accepted');
});
//# sourceMappingURL=malloc-arenas.test.js.map