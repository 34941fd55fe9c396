import { spawn } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SocketClient } from '../cli/socket-client.js';
import { CodesyncProcess } from '../test/helpers/codesync-process.js';
import { numberFlag } from './bench-args.js';
import { startBenchSocket } from './bench-socket.js';
/**
 * Switch-to-reload latency on one node. The agent's real ActivationFeed and reload socket run in
 * this process; N real `codesync reload-hook` sidecars (default 50) subscribe, each running
 * `date +%s%N` as its reload command, whose output comes back in the ack. For each of the
 * switches (default 50, spaced so none coalesce) it measures, per sidecar:
 *   activation → the hook starts the reload (its `reload started` log line, ms clock), and
 *   activation → the command is running (the nanosecond clock `date` printed).
 * Args: `--subscribers N`, `--switches N`, `--debounce MS` (default 0: the mechanism alone; the
 * production default of 200 ms adds exactly that by design), `--gap MS` between switches (default
 * 1000: each switch is measured on its own, not a backlog), `--signal` (hooks send SIGCONT to a
 * sleeping process instead of spawning a command: the fan-out alone, without 50 fork/execs),
 * `--raw` (N event streams opened by this process with the CLI's socket client, no sidecar
 * processes: the socket's own fan-out cost, measured at event arrival).
 */
/** Seq 1 is the state the sidecars start with; 2..6 warm them up. */
const FIRST_MEASURED = 7;
export async function run(args) {
    const subscribers = numberFlag(args, 'subscribers', 50);
    const switches = numberFlag(args, 'switches', 50);
    const debounce = numberFlag(args, 'debounce', 0);
    const gapMs = numberFlag(args, 'gap', 1000);
    const mode = args.includes('--signal') ? 'signal' : args.includes('--raw') ? 'raw' : 'command';
    const bench = await startBenchSocket('cs-bench-');
    const { work, socketPath, feed, socket, signal } = bench;
    const hooks = [];
    const cleanups = [];
    const acks = [];
    feed.on('ack', (_app, ack) => acks.push(ack));
    const activatedAt = new Map();
    const activate = (seq) => {
        activatedAt.set(seq, Date.now());
        feed.activate({ app: 'bench', seq, digest: `sha256:${String(seq).padStart(64, '0')}`, path: '/srv/bench/current', activatedAt: new Date().toISOString() });
    };
    try {
        activate(1);
        process.stderr.write(`starting ${subscribers} ${mode === 'raw' ? 'event streams' : 'reload-hook sidecars'}...\n`);
        const target = spawn('sleep', ['3600'], { stdio: 'ignore' });
        cleanups.push(() => target.kill());
        await writeFile(join(work, 'target.pid'), `${target.pid}\n`);
        const arrivals = [];
        if (mode === 'raw') {
            setMaxListeners(subscribers + 10, signal);
            for (let i = 0; i < subscribers; i++)
                void followRaw(socketPath, signal, (seq) => seq >= FIRST_MEASURED && arrivals.push(Date.now() - activatedAt.get(seq)));
            while (socket.subscribers('bench') < subscribers)
                await sleep(20);
        }
        const action = mode === 'signal' ? ['--signal', 'CONT', '--pid-file', join(work, 'target.pid')] : ['--', 'date', '+%s%N'];
        for (let i = 0; i < (mode === 'raw' ? 0 : subscribers); i++) {
            hooks.push(new CodesyncProcess(['reload-hook', '--app', 'bench', '--socket', socketPath, '--pod', `pod-${i}`, '--debounce', String(debounce), ...action], { env: { CODESYNC_LOG_LEVEL: 'info' } }));
        }
        await Promise.all(hooks.map((hook) => hook.waitForLog((line) => line.msg === 'subscribed', 120_000)));
        process.stderr.write(`${socket.subscribers('bench')} subscribers connected; warming up, then ${switches} switches ${gapMs} ms apart...\n`);
        // Unmeasured switches first: the sidecars' first reload pays for lazy code paths and JIT.
        for (let seq = 2; seq < FIRST_MEASURED; seq++) {
            activate(seq);
            await sleep(gapMs);
        }
        for (let seq = FIRST_MEASURED; seq < FIRST_MEASURED + switches; seq++) {
            activate(seq);
            await sleep(gapMs);
        }
        const expected = switches * subscribers;
        const deadline = Date.now() + 60_000;
        const done = () => (mode === 'raw' ? arrivals.length : acks.filter((ack) => ack.seq >= FIRST_MEASURED).length);
        while (done() < expected && Date.now() < deadline)
            await sleep(50);
        const commandMs = [];
        for (const ack of acks) {
            const at = activatedAt.get(ack.seq);
            if (mode === 'command' && ack.seq >= FIRST_MEASURED && ack.ok && at !== undefined)
                commandMs.push(Number(BigInt(ack.message?.trim() ?? '0') / 1000000n) - at);
        }
        const hookMs = hooks.flatMap((hook) => hook.logs.filter((line) => line.msg === 'reload started' && typeof line.seq === 'number' && line.seq >= FIRST_MEASURED).map((line) => line.time - activatedAt.get(line.seq)));
        const report = {
            subscribers,
            switches,
            debounceMs: debounce,
            mode,
            ...(mode === 'raw' ? { activationToEventArrivedMs: percentiles(arrivals) } : { activationToHookStartMs: percentiles(hookMs) }),
            ...(mode === 'command' ? { activationToCommandRunningMs: percentiles(commandMs) } : {}),
        };
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    }
    finally {
        await Promise.all(hooks.map((hook) => hook.stop()));
        for (const cleanup of cleanups)
            cleanup();
        await bench.close();
    }
}
/** One event stream read straight off the socket, as a sidecar's client reads it. */
async function followRaw(socketPath, signal, onEvent) {
    const client = new SocketClient(socketPath);
    try {
        for await (const event of client.events(['bench'], signal))
            onEvent(event.seq);
    }
    catch {
        // the stream ends when the bench aborts
    }
    finally {
        await client.close();
    }
}
function percentiles(samples) {
    const sorted = [...samples].sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
    return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? NaN, n: sorted.length };
}
//# sourceMappingURL=reload.js.map