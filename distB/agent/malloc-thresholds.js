import { libcFunction } from '../protocol/runtime/libc.js';
/** mallopt(3)'s parameters. */
const M_TRIM_THRESHOLD = -1;
const M_MMAP_THRESHOLD = -3;
/** Free memory at the top of an arena beyond this goes back to the system when a block beside it is freed (glibc's own starting value). */
const TRIM_BYTES = 128 * 1024;
/**
 * Allocations from this size on get a mapping of their own, unmapped when freed. Large enough
 * that a bulk fetch's write batches (1 MiB) and the blobs it holds whole (up to 4 MiB,
 * object-cache.ts) come from the arenas, as they do once glibc's own threshold has adapted:
 * a mapping per batch would cost its page faults again each time.
 */
const MMAP_BYTES = 4 * 1024 * 1024;
/**
 * Fixes glibc's trim and mmap thresholds for the agent's life. Left to itself glibc raises the
 * trim threshold to twice the largest mapped block freed so far (socket buffers, a cold sync's
 * batches), and a thread's arena then keeps that much free memory at its top; `malloc_trim`
 * (heap-release.ts) gives back free pages inside every arena but not the top of a thread's. An
 * idle agent holding 10 000 files kept ~5 MiB so, in five thread arenas (malloc_stats: 1.3-4.5
 * MB each, under 1 MB in use): the gap to an agent holding nothing. Setting either threshold
 * stops the adapting of both. Returns false where there is no glibc to ask (musl, macOS).
 */
export function fixMallocThresholds() {
    const mallopt = libcFunction('int mallopt(int param, int value)');
    if (mallopt === null)
        return false;
    return mallopt(M_TRIM_THRESHOLD, TRIM_BYTES) === 1 && mallopt(M_MMAP_THRESHOLD, MMAP_BYTES) === 1;
}
//# sourceMappingURL=malloc-thresholds.js.map