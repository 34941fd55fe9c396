import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, CodesyncProcess } from '../test/helpers/codesync-process.js';
import { generateTree } from './tree-generator.js';
import { numberFlag } from './bench-args.js';
/**
 * `codesync pull` as an init container runs it, wall clock: a cold pull of a generated tree, an
 * up-to-date pull (the restart of a pod whose DEST already holds the release: quick check of
 * sizes and modes), the same with `--verify` (every file re-hashed), against the floor
 * `tar -c DEST | sha256sum`. Args: `--files N` (default 10 000).
 */
export async function run(args) {
    const files = numberFlag(args, 'files', 10_000);
    const work = await mkdtemp(join(tmpdir(), 'codesync-bench-pull-'));
    const tree = join(work, 'tree');
    const dest = join(work, 'dest');
    const server = new CodesyncProcess(['server', '--data', join(work, 'data'), '--listen', '127.0.0.1:0', '--max-concurrent-pulls', '0'], { env: { CODESYNC_LOG_LEVEL: 'info' } });
    try {
        process.stderr.write(`generating ${files} files in ${tree}...\n`);
        const generated = await generateTree(tree, { files });
        const url = await server.ready();
        await exec(process.execPath, [CLI, 'publish', tree, '--server', url, '--app', 'bench', '--create', '--selector', '', '--cache', join(work, 'cache.json'), '--progress', 'none']);
        const pull = (...extra) => timed(() => exec(process.execPath, [CLI, 'pull', '--server', url, '--app', 'bench', '--dest', dest, ...extra]));
        const cold = await pull();
        const quick = await pull();
        const verify = await pull('--verify');
        const floor = await timed(() => exec('bash', ['-c', `set -o pipefail; tar -c -C '${join(dest, 'current')}/' . | sha256sum >/dev/null`]));
        const startup = await timed(() => exec(process.execPath, [CLI, '--version']));
        const rows = [
            ['tree', `${generated.files} files, ${(generated.bytes / 1e6).toFixed(1)} MB`, ''],
            ['cold pull', seconds(cold.ms), ''],
            ['up-to-date pull (quick check)', seconds(quick.ms), quick.ms < 1000 ? '< 1 s ok' : '< 1 s MISSED'],
            ['up-to-date pull --verify', seconds(verify.ms), ''],
            ['floor: tar -c DEST | sha256sum', seconds(floor.ms), ''],
            ['CLI start alone (codesync --version)', seconds(startup.ms), ''],
            ['warnings on stderr (all pulls)', String([cold, quick, verify].filter((r) => /Warning/.test(r.value)).length), '0'],
            ['load average (1 min) at the end', `${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores`, ''],
        ];
        const w0 = Math.max(...rows.map((r) => r[0].length));
        const w1 = Math.max(...rows.map((r) => r[1].length));
        for (const [name, value, target] of rows)
            process.stdout.write(`${name.padEnd(w0)}  ${value.padEnd(w1)}  ${target}`.trimEnd() + '\n');
    }
    finally {
        await server.stop();
        await rm(work, { recursive: true, force: true });
    }
}
async function timed(work) {
    const start = process.hrtime.bigint();
    const value = await work();
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}
/** Runs to completion; resolves with its stderr (warnings are counted from it). */
async function exec(command, args) {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk) => (err += chunk));
    const [code] = (await once(child, 'exit'));
    if (code !== 0)
        throw new Error(`${command} ${args.join(' ')} exited ${code}: ${err}`);
    return err;
}
const seconds = (ms) => `${(ms / 1000).toFixed(3)} s`;
//# sourceMappingURL=pull.js.map