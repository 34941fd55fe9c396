import { spawn, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { numberFlag } from './bench-args.js';
import { startBenchSocket } from './bench-socket.js';
/**
 * The CLI's own cost, paid by every CI publish, init-container `wait` and reload-hook sidecar
 * (issue 13, targets 7 and 8):
 *   - `codesync --version` wall time (median of --runs, default 21) against `node -e 0` run
 *     alternately in the same loop; target: within 100 ms of bare node. `codesync wait --help`
 *     beside it: the start of a real command, its option table loaded.
 *   - a real `codesync reload-hook` sidecar's RSS, idle (subscribed, after --settle ms, default
 *     2000) and while its reload command runs, against a bare `node -e` process idle for as long;
 *     target: within 8 MB. Private memory (anonymous pages, what each pod pays on its own: the
 *     node binary's pages are shared by every process that maps it) is printed beside it.
 * The agent's real reload socket runs in this process, as in bench/reload.ts.
 */
const BIN = fileURLToPath(new URL('../../bin/codesync', import.meta.url));
const STARTUP_TARGET_MS = 100;
const RSS_TARGET_MB = 8;
export async function run(args) {
    const runs = numberFlag(args, 'runs', 21);
    const settleMs = numberFlag(args, 'settle', 2000);
    const load = loadavg().map((n) => n.toFixed(2)).join(' ');
    const cli = [];
    const bare = [];
    const waitHelp = [];
    for (let i = 0; i < runs; i++) {
        cli.push(timed([BIN, '--version']));
        bare.push(timed(['-e', '0']));
        waitHelp.push(timed([BIN, 'wait', '--help']));
    }
    const cliMs = median(cli);
    const bareMs = median(bare);
    const memory = await sidecarMemory(settleMs);
    const lines = [
        `load average at start: ${load}`,
        `codesync --version  median ${cliMs.toFixed(0)} ms  vs node -e 0 ${bareMs.toFixed(0)} ms: +${(cliMs - bareMs).toFixed(0)} ms (target +${STARTUP_TARGET_MS} ms) ${verdict(cliMs - bareMs <= STARTUP_TARGET_MS)}  [${runs} runs each]`,
        `codesync wait --help median ${median(waitHelp).toFixed(0)} ms: a command's own table loaded too (no target)`,
        rssLine('reload-hook idle', memory.idle, memory.bare),
        rssLine('reload-hook during a reload', memory.reloading, memory.bare),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
}
function rssLine(what, hook, bare) {
    const over = hook.rssMb - bare.rssMb;
    const overPrivate = hook.privateMb - bare.privateMb;
    return `${what.padEnd(28)} RSS ${hook.rssMb.toFixed(1)} MB vs bare node ${bare.rssMb.toFixed(1)} MB: +${over.toFixed(1)} MB (target +${RSS_TARGET_MB} MB) ${verdict(over <= RSS_TARGET_MB)}; private ${hook.privateMb.toFixed(1)} MB vs ${bare.privateMb.toFixed(1)} MB: +${overPrivate.toFixed(1)} MB ${verdict(overPrivate <= RSS_TARGET_MB)}`;
}
function verdict(met) {
    return met ? 'MET' : 'MISSED';
}
/** Wall time of one `node ARGS` run, in ms. */
function timed(args) {
    const start = process.hrtime.bigint();
    const done = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (done.status !== 0)
        throw new Error(`node ${args.join(' ')} exited ${done.status}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
}
function median(samples) {
    const sorted = [...samples].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}
/** RSS and private (anonymous) memory of a process, from /proc. */
async function memoryOf(pid) {
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? NaN);
    return { rssMb: kb('Rss') / 1024, privateMb: kb('Anonymous') / 1024 };
}
async function sidecarMemory(settleMs) {
    const bench = await startBenchSocket('cs-bench-cli-');
    const { work, socketPath, feed } = bench;
    const children = [];
    try {
        feed.activate({ app: 'bench', seq: 1, digest: `sha256:${'0'.repeat(64)}`, path: '/srv/bench/current', activatedAt: new Date().toISOString() });
        const bare = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 3_600_000)'], { stdio: 'ignore' });
        // The reload command holds the reload open until told to end, so the sample falls inside it.
        const release = join(work, 'release');
        const hook = spawn(process.execPath, [BIN, 'reload-hook', '--app', 'bench', '--socket', socketPath, '--debounce', '0', '--', 'sh', '-c', `while [ ! -e ${release} ]; do sleep 0.05; done`], {
            stdio: ['ignore', 'pipe', 'inherit'],
            env: { ...process.env, CODESYNC_LOG_LEVEL: 'info' },
        });
        children.push(bare, hook);
        const logs = createInterface({ input: hook.stdout });
        const logged = (msg) => new Promise((resolve) => {
            const check = (line) => {
                if (!line.includes(`"msg":"${msg}"`))
                    return;
                logs.off('line', check);
                resolve();
            };
            logs.on('line', check);
        });
        await logged('subscribed');
        await sleep(settleMs);
        const idle = await memoryOf(hook.pid);
        const bareMemory = await memoryOf(bare.pid);
        const started = logged('reload started');
        feed.activate({ app: 'bench', seq: 2, digest: `sha256:${'2'.repeat(64)}`, path: '/srv/bench/current', activatedAt: new Date().toISOString() });
        await started;
        await sleep(200);
        const reloading = await memoryOf(hook.pid);
        await import('node:fs/promises').then((fs) => fs.writeFile(release, ''));
        await new Promise((resolve) => feed.on('ack', () => resolve()));
        return { bare: bareMemory, idle, reloading };
    }
    finally {
        for (const child of children)
            child.kill();
        await bench.close();
    }
}
//# sourceMappingURL=cli.js.map