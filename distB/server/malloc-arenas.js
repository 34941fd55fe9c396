import { libcFunction } from '../protocol/runtime/libc.js';
/** mallopt(3)'s M_ARENA_MAX. */
const M_ARENA_MAX = -8;
/** The main arena and one for every other thread. */
const SERVER_ARENAS = 2;
/**
 * Caps glibc's malloc arenas at SERVER_ARENAS for the threads that allocate from now on, as the
 * agent does (agent/malloc-arenas.ts; server and agent share only protocol/). glibc gives each
 * thread that allocates an arena of its own, up to 8 per core, and keeps each one's pages: the
 * server's read and write workers and the chart's 64 libuv pool threads. Returns false where
 * there is no glibc to ask (musl, macOS).
 */
export function capMallocArenas() {
    const mallopt = libcFunction('int mallopt(int param, int value)');
    return mallopt !== null && mallopt(M_ARENA_MAX, SERVER_ARENAS) === 1;
}
//# sourceMappingURL=malloc-arenas.js.map