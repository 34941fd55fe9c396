import { comparePathBytes } from '../../protocol/paths.js';
import { sha256Hex } from '../../protocol/sha256.js';
/**
 * Random manifests for property tests of the manifest code (delta, digest, compact form), drawn
 * from a seeded random source so a failure replays.
 */
/**
 * Names whose UTF-8 byte order differs from JavaScript's UTF-16 order ('ｚ' U+FF5A sorts before
 * '😀' in UTF-16, after it in bytes), and prefixes of each other ('a', 'a-b', 'a/b').
 */
export const PATH_NAMES = ['a', 'a-b', 'b', 'B', 'é', 'ｚ', '😀', 'z.txt', '.env', 'A~'];
/** Four small file bodies, as a file entry holds them (the empty one first). */
export const CONTENTS = ['', 'one', 'two', 'three'].map((text) => ({ sha256: sha256Hex(text), size: Buffer.byteLength(text) }));
const DEFAULT_ALPHABET = { names: PATH_NAMES, targets: PATH_NAMES };
/** Sorts entries in place in the manifest's canonical order (by the bytes of their path). */
export const sortCanonically = (entries) => entries.sort((a, b) => comparePathBytes(a.path, b.path));
/** 1 to 40 distinct paths, each one to three names deep. */
export function randomPaths(random, alphabet = DEFAULT_ALPHABET) {
    const paths = new Set();
    const count = 1 + random.int(40);
    while (paths.size < count)
        paths.add(Array.from({ length: 1 + random.int(3) }, () => random.pick(alphabet.names)).join('/'));
    return [...paths];
}
/** A dir, a symlink or (half the time) a file at `path`. */
export function randomEntry(random, path, alphabet = DEFAULT_ALPHABET) {
    const kind = random.int(4);
    if (kind === 0)
        return { path, type: 'dir', mode: random.pick([0o755, 0o700]) };
    if (kind === 1)
        return { path, type: 'symlink', mode: 0o777, target: random.pick(alphabet.targets) };
    return { path, type: 'file', mode: random.pick([0o644, 0o755, 0o600]), ...random.pick(CONTENTS) };
}
/**
 * A base tree (sorted canonically) and a target made from it by removing, changing, keeping and
 * adding entries. The target comes sorted, or shuffled for code that takes any order.
 */
export function randomPair(random, options = {}) {
    const alphabet = options.alphabet ?? DEFAULT_ALPHABET;
    const pool = randomPaths(random, alphabet);
    const base = sortCanonically(pool.filter(() => random.next() < 0.6).map((path) => randomEntry(random, path, alphabet)));
    const held = new Set(base.map((entry) => entry.path));
    const target = [];
    for (const entry of base) {
        const fate = random.int(4);
        if (fate === 0)
            continue;
        target.push(fate === 1 ? randomEntry(random, entry.path, alphabet) : entry);
    }
    for (const path of pool)
        if (!held.has(path) && random.next() < 0.5)
            target.push(randomEntry(random, path, alphabet));
    if (options.target !== 'shuffled')
        return { base, target: sortCanonically(target) };
    for (let i = target.length - 1; i > 0; i--) {
        const j = random.int(i + 1);
        [target[i], target[j]] = [target[j], target[i]];
    }
    return { base, target };
}
//# sourceMappingURL=random-manifest.js.map