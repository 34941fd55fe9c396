/**
 * mulberry32 seeded from CODESYNC_TEST_SEED when set (to replay a failure), else at random.
 * The seed is reported as a comment if any assertion of `t` fails.
 */
export function seededRandom(t) {
    const fromEnv = Number(process.env.CODESYNC_TEST_SEED);
    const seed = Number.isInteger(fromEnv) && process.env.CODESYNC_TEST_SEED !== '' ? fromEnv >>> 0 : Math.floor(Math.random() * 2 ** 32);
    t.teardown(() => {
        if (!t.passing())
            t.comment(`random seed ${seed}: replay with CODESYNC_TEST_SEED=${seed}`);
    });
    const next = mulberry32(seed);
    const int = (below) => Math.floor(next() * below);
    return { seed, next, int, pick: (items) => items[int(items.length)] };
}
/** mulberry32: a small deterministic PRNG, floats in [0, 1); the same seed gives the same run. */
export function mulberry32(seed) {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let x = state;
        x = Math.imul(x ^ (x >>> 15), x | 1);
        x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
        return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
}
//# sourceMappingURL=seeded-random.js.map