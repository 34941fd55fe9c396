import t from 'tap';
import { capMallocArenas } from '../../agent/malloc-arenas.js';

t.test('the agent caps glibc malloc arenas where there is glibc', { skip: process.platform !== 'linux' ? 'glibc only' : false }, async (t) => {
  t.equal(capMallocArenas(), true, 'mallopt(M_ARENA_MAX) accepted');
});
