import { libcFunction } from '../protocol/runtime/libc.js';
/** mallopt(3)'s M_ARENA_MAX. */
const M_ARENA_MAX = -8;
/** The main arena and one for every other thread. */
const AGENT_ARENAS = 2;
/**
 * Caps glibc's malloc arenas at AGENT_ARENAS for the threads that allocate from now on (the
 * environment's MALLOC_ARENA_MAX, set from inside, so every deployment gets it). glibc gives each
 * thread that allocates an arena of its own, up to 8 per core, and keeps each one's pages: after
 * a cold sync, libuv's pool threads (the chart runs 64) and the clone threads had left five
 * arenas of ~2 MiB each that malloc_trim does not give back. Idle agent holding 10 000 files,
 * same run: 81.3 -> 78.8 MiB (MALLOC_ARENA_MAX=2 in the environment, which also covers the
 * threads started before this call, as the image sets it: 85.6 -> 75.5; holding nothing: 64).
 * Pool threads allocate little, and per-thread caches serve small sizes without the arena lock.
 * Returns false where there is no glibc to ask (musl, macOS).
 */
export function capMallocArenas() {
    const mallopt = libcFunction('int mallopt(int param, int value)');
    return mallopt !== null && mallopt(M_ARENA_MAX, AGENT_ARENAS) === 1;
}
//# sourceMappingURL=malloc-arenas.js.map