/**
 * `npm run bench -- validate [ENTRIES]`: time of validateManifest (paths, tree structure, symlink
 * resolution) on a code-tree-like manifest of ENTRIES entries (default 100 000), 5% of them
 * symlinks that resolve through other links, plus one deep path at the length limit.
 */
import { performance } from 'node:perf_hooks';
import { LIMITS } from '../protocol/limits.js';
import { validateManifest } from '../protocol/manifest.js';
import { EMPTY_SHA256 } from '../protocol/sha256.js';
export async function run(args) {
    const count = Number(args[0] ?? 100_000);
    const entries = [];
    for (let i = 0; i < count; i++) {
        const dir = `src/module-${i % 50}/pkg-${Math.floor(i / 50) % 40}`;
        if (i % 20 === 19)
            entries.push({ path: `${dir}/link-${i}`, type: 'symlink', mode: 0o777, target: i % 40 === 39 ? `../../module-${(i + 1) % 50}/pkg-0/file-${i % 50}.php` : `../pkg-0/link-${i - 20}` });
        else
            entries.push({ path: `${dir}/file-${i}.php`, type: 'file', mode: 0o644, size: 100, sha256: EMPTY_SHA256 });
    }
    entries.push({ path: `${'d/'.repeat((LIMITS.maxPathBytes - 1) / 2 - 1)}f`.slice(0, LIMITS.maxPathBytes), type: 'file', mode: 0o644, size: 0, sha256: EMPTY_SHA256 });
    for (let round = 0; round < 5; round++) {
        const start = performance.now();
        const cpu = process.cpuUsage();
        const validated = validateManifest(entries);
        const cpuMs = process.cpuUsage(cpu).user / 1000;
        const ms = performance.now() - start;
        process.stdout.write(`${JSON.stringify({ bench: 'validate', entries: validated.length, symlinks: Math.floor(count / 20), ms: Math.round(ms), cpuMs: Math.round(cpuMs) })}\n`);
    }
}
//# sourceMappingURL=validate.js.map