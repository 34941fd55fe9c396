import { FileHasher } from './file-hasher.js';
/** Blobs of a tree asked about before a first publish from here: see serverLacksAll. */
export const PROBED_BLOBS = 4;
/** How long the question may take: it only saves a post, it must not hold a publish up. */
const PROBE_TIMEOUT_MS = 5000;
/** Up to PROBED_BLOBS items spread over `items`, first and last among them, each once. */
export function spread(items) {
    return Array.from(new Set(Array.from({ length: PROBED_BLOBS }, (_, k) => items[Math.floor((k * (items.length - 1)) / (PROBED_BLOBS - 1))])));
}
/**
 * Whether the server likely holds none of a tree's blobs: true when the blobs `shas` (a few
 * spread over the tree) are all unknown to it. A first publish of a new tree then uploads every
 * blob before its manifest, and posts the manifest once instead of twice (the first answer would
 * only name them all: 13.5 MB posted and checked for nothing at 100 000 files). A checkout whose
 * tree the server already holds (a CI runner without this cache) finds one of them and asks
 * first. Any failure to ask (a token without read access, no answer within PROBE_TIMEOUT_MS)
 * answers false: ask first.
 */
export async function serverLacksAll(client, shas, signal) {
    if (shas.length === 0)
        return false;
    try {
        const held = await Promise.all(shas.map((sha) => client.hasBlob(sha, signal, PROBE_TIMEOUT_MS)));
        return !held.includes(true);
    }
    catch {
        signal.throwIfAborted();
        return false;
    }
}
/**
 * serverLacksAll for files not hashed yet (a cold publish asks while its tree is hashed): the
 * files spread over `files` are hashed here first. A file that cannot be read answers false (the
 * hashing reports it).
 */
export async function serverLacksFiles(client, files, signal) {
    if (files.length <= 1)
        return false;
    const hasher = new FileHasher();
    const shas = [];
    for (const file of spread(files)) {
        const outcome = await hasher.hash(file.absolute, signal);
        if ('errno' in outcome)
            return false;
        shas.push(outcome.sha256);
    }
    return serverLacksAll(client, shas, signal);
}
//# sourceMappingURL=tree-probe.js.map