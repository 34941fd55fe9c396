import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLI, CodesyncProcess } from '../test/helpers/codesync-process.js';
import { numberFlag } from './bench-args.js';
import { generateTree, writeSmallTree } from './tree-generator.js';
/**
 * Server RSS holding both apps of issue 13 (target 5: < 200 MiB): a tree of `--files` generated
 * files (10 000, ~170 MB) and one of `--small-files` files of ~15 bytes (100 000), each published
 * cold through the CLI, then pulled at once by one `codesync pull` each. Printed: the server's RSS
 * idle before anything, its peak during each publish and during the pulls (VmHWM, reset through
 * /proc/PID/clear_refs before each phase), its RSS idle after them (`--settle` ms later, default
 * 10 000), and at each idle point its heap and external memory as its /metrics reports them, to
 * tell what holds the memory. Idle is the process left alone: V8 collects the last phase's garbage
 * on its own schedule, so "heap used" near "heap total" after a short settle is mostly garbage.
 * The server runs with UV_THREADPOOL_SIZE=64, as the chart ships it.
 */
const TARGET_MIB = 200;
export async function run(args) {
    const files = numberFlag(args, 'files', 10_000);
    const smallFiles = numberFlag(args, 'small-files', 100_000);
    const settleMs = numberFlag(args, 'settle', 10_000);
    const work = await mkdtemp(join(tmpdir(), 'codesync-bench-server-memory-'));
    const server = new CodesyncProcess(['server', '--data', join(work, 'data'), '--listen', '127.0.0.1:0'], { env: { CODESYNC_LOG_LEVEL: 'info', UV_THREADPOOL_SIZE: '64' } });
    const rows = [];
    try {
        process.stderr.write(`writing ${files} files and ${smallFiles} small files...\n`);
        const generated = await generateTree(join(work, 'tree'), { files });
        await writeSmallTree(join(work, 'small'), smallFiles);
        const url = await server.ready(180_000);
        const pid = server.child.pid;
        const idle = async (what) => {
            await sleep(settleMs);
            rows.push([`idle ${what}`, mib(await rssOf(pid, 'VmRSS')), heapNote(await heapFigures(url))]);
        };
        /** Peak RSS while `work` runs: the high-water mark, reset to the current RSS first. */
        const peakDuring = async (what, phase) => {
            await writeFile(`/proc/${pid}/clear_refs`, '5');
            // What the phase starts from: an earlier phase's garbage not yet collected counts in its peak.
            const from = await rssOf(pid, 'VmRSS');
            const started = performance.now();
            await phase();
            rows.push([`peak during ${what}`, mib(await rssOf(pid, 'VmHWM')), `from ${mib(from).toFixed(1)} MiB at its start, ${((performance.now() - started) / 1000).toFixed(1)} s`]);
        };
        await idle('before any app');
        const bigApp = `${generated.files} files, ${(generated.bytes / 1e6).toFixed(0)} MB`;
        await peakDuring(`the cold publish of ${bigApp}`, () => cli(['publish', join(work, 'tree'), '--server', url, '--app', 'big', '--create', '--selector', '', '--progress', 'none']));
        await peakDuring(`the cold publish of ${smallFiles} small files`, () => cli(['publish', join(work, 'small'), '--server', url, '--app', 'small', '--create', '--selector', '', '--progress', 'none']));
        await idle('holding both apps, after the publishes');
        await peakDuring('both apps pulled at once (codesync pull each)', () => Promise.all(['big', 'small'].map((app) => cli(['pull', '--server', url, '--app', app, '--dest', join(work, `pulled-${app}`)]))));
        await idle('holding both apps, after the pulls');
        printTable(rows);
        process.stdout.write(`load average (1 min) at the end: ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores; MiB = 2^20 bytes\n`);
    }
    finally {
        await server.stop();
        await rm(work, { recursive: true, force: true });
    }
}
function printTable(rows) {
    const width = Math.max(...rows.map((row) => row[0].length));
    for (const [what, value, note] of rows) {
        const verdict = value < TARGET_MIB ? 'met' : 'MISSED';
        process.stdout.write(`server RSS ${what.padEnd(width)}  ${value.toFixed(1).padStart(6)} MiB  (target < ${TARGET_MIB} MiB: ${verdict})${note ? `  ${note}` : ''}\n`);
    }
}
async function rssOf(pid, field) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) * 1024;
}
/** Heap and off-heap memory from the server's default process metrics, in bytes. */
async function heapFigures(url) {
    const text = await (await fetch(`${url}/metrics`)).text();
    const metric = (name) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    return { heapUsed: metric('nodejs_heap_size_used_bytes'), heapTotal: metric('nodejs_heap_size_total_bytes'), external: metric('nodejs_external_memory_bytes') };
}
function heapNote(figures) {
    return `heap used ${mib(figures.heapUsed).toFixed(1)} of ${mib(figures.heapTotal).toFixed(1)} MiB, external ${mib(figures.external).toFixed(1)} MiB`;
}
function mib(bytes) {
    return bytes / 2 ** 20;
}
/** The real CLI as a user runs it; its stdout is not needed. */
async function cli(args) {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, UV_THREADPOOL_SIZE: '64' } });
    const [code] = (await once(child, 'exit'));
    if (code !== 0)
        throw new Error(`codesync ${args.join(' ')} exited ${code}`);
}
//# sourceMappingURL=server-memory.js.map