import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CodesyncProcess, runCli, type LogLine } from '../test/helpers/codesync-process.js';
import { assertServed, FLEET_SAMPLE_EVERY } from './served-tree.js';
import { generateTree } from './tree-generator.js';
import { numberFlag, stringFlag } from './bench-args.js';
import { benchWorkDir } from './bench-fs.js';
import { mapLimit } from '../protocol/runtime/map-limit.js';
import { cpuMsOf } from './process-stats.js';

/**
 * The thundering herd (docs/throttling.md): N real agents cold-pull a generated ~200 MB tree at once from
 * one server with S pull slots, against N `rsync` clients hitting a real `rsync --daemon` with
 * `max connections = S` and a naive retry loop, in the same run. Codesync's total runs from the
 * start of `codesync publish` (as a CI job sees it) to the last agent's switch; the clock stopped,
 * every tree is read back (the lone agent's whole, a sample of the herd's). Prints, for
 * codesync: the most blob streams the server had open at once, failures, total time, and total ÷
 * ideal, where ideal is the herd's bytes at the throughput one agent reaches alone; for rsync:
 * refusals, retries, total time. Targets (issue 13): peak ≤ S, 0 failures, total ≤ rsync's total.
 * Args: `--agents N` (100), `--slots S` (8), `--files N` (10 000 ≈ 200 MB), `--retry-ms N` (1000);
 * `--agent-cli PATH` runs the agents from another build's `dist/cli/main.js` (an A/B of the agent
 * alone), `--no-rsync` skips rsync's herd (an A/B of two builds needs it once).
 * `--fs ext4|xfs` (default: none, the temp dir as it is) runs the whole work dir — server, agents,
 * rsync's clients alike — on a filesystem made fresh for the run and loop-mounted (root only; see
 * bench/bench-fs.ts; `--fs-size GiB`, 24). The output names the filesystem.
 */
export async function run(args: string[]): Promise<void> {
  const agentCount = numberFlag(args, 'agents', 100);
  const slots = numberFlag(args, 'slots', 8);
  const files = numberFlag(args, 'files', 10_000);
  const retryMs = numberFlag(args, 'retry-ms', 1000);
  const agentEntry = stringFlag(args, 'agent-cli');
  const withRsync = !args.includes('--no-rsync');
  const workDir = await benchWorkDir(args, 'codesync-bench-herd-');
  const work = workDir.path;
  log(`work dir ${work}: ${workDir.filesystem}`);
  const processes: CodesyncProcess[] = [];
  const spawnCodesync = (cliArgs: string[], level = 'info') => {
    const entry = cliArgs[0] === 'agent' ? agentEntry : undefined;
    const proc = new CodesyncProcess(cliArgs, { env: { CODESYNC_LOG_LEVEL: level, UV_THREADPOOL_SIZE: '64' }, entry });
    processes.push(proc);
    return proc;
  };
  try {
    const tree = join(work, 'tree');
    log(`writing ${files} files...`);
    const generated = await generateTree(tree, { files });
    const server = spawnCodesync(['server', '--data', join(work, 'data'), '--listen', '127.0.0.1:0', '--max-concurrent-pulls', String(slots)], 'debug');
    const url = await server.ready();
    // Two apps of the same tree: `solo` for the single-stream baseline, `herd` for everyone else.
    await putApp(url, 'solo', 'role=solo');
    await putApp(url, 'herd', 'role=herd');

    // The baseline runs alone, before the herd's processes exist.
    const solo = spawnCodesync(agentArgs(url, join(work, 'solo'), 'solo', 'role=solo'));
    await solo.ready();
    const soloCreated = await publish(url, 'solo', tree);
    const soloSwitched = await solo.waitForLog((line) => line.msg === 'switched', 600_000);
    const singleSeconds = ((soloSwitched.time as number) - soloCreated) / 1000;
    await assertServed(tree, join(work, 'solo', 'apps', 'solo', 'current'), generated.paths);
    const singleThroughput = generated.bytes / singleSeconds;
    log(`one agent alone: ${singleSeconds.toFixed(2)} s, ${mib(singleThroughput)} MiB/s; its phases (ms from the sync's start) ${JSON.stringify(soloSwitched.ms)}, CPU ms ${JSON.stringify(soloSwitched.cpuMs)}`);
    await solo.stop();

    log(`starting ${agentCount} agents...`);
    const herd = Array.from({ length: agentCount }, (_, n) => spawnCodesync(agentArgs(url, join(work, `node-${n}`), `node-${n}`, 'role=herd')));
    await Promise.all(herd.map((agent) => agent.ready(600_000)));

    const cpuAtStart = [server, ...herd].map(cpuSecondsOf);
    const herdStarted = Date.now();
    await publish(url, 'herd', tree);
    const finished = await Promise.all(herd.map((agent) => agent.waitForLog((line) => line.msg === 'switched', 1_800_000).then((line) => line.time as number, () => undefined)));
    // Read before any agent is stopped; an agent that exited on its own has no CPU left to read.
    const cpuUsed = [server, ...herd].map(cpuSecondsOf).map((seconds, index) => (seconds === undefined ? undefined : seconds - cpuAtStart[index]!));
    const serverCpu = cpuUsed[0] ?? Number.NaN;
    const agentsCpu = cpuUsed.slice(1).reduce<number>((sum, seconds) => sum + (seconds ?? 0), 0);
    const exited = herd.flatMap((agent, n) => (cpuUsed[n + 1] === undefined ? [exitReport(`node-${n}`, agent)] : []));
    for (const report of exited) log(`${report.node} exited during the herd: ${JSON.stringify(report)}`);
    const done = finished.filter((time): time is number => time !== undefined);
    const totalSeconds = (Math.max(...done) - herdStarted) / 1000;
    const idealSeconds = (agentCount * generated.bytes) / singleThroughput;
    const failures = agentCount - done.length + herd.reduce((sum, agent) => sum + failureLines(agent.logs), 0);
    // Each tree the figure counts is checked after the clock stopped, a sample of its files read back.
    await Promise.all(finished.map((time, n) => (time === undefined ? undefined : assertServed(tree, join(work, `node-${n}`, 'apps', 'herd', 'current'), generated.paths, FLEET_SAMPLE_EVERY))));
    const peak = server.logs.reduce((most, line) => (line.msg === 'blob stream opened' && typeof line.openStreams === 'number' ? Math.max(most, line.openStreams) : most), 0);
    for (const agent of herd) await agent.stop();
    await removeAll(Array.from({ length: agentCount }, (_, n) => join(work, `node-${n}`)));

    log(`${agentCount} rsync clients against rsync --daemon (max connections = ${slots})...`);
    const rsync = withRsync ? await rsyncHerd(work, tree, agentCount, slots, retryMs) : { refused: 0, retries: 0, failures: 0, reasons: {}, seconds: Number.NaN };

    console.log(
      JSON.stringify(
        {
          'work dir filesystem': workDir.filesystem,
          tree: { files: generated.files, bytes: generated.bytes },
          agents: agentCount,
          slots,
          codesync: {
            'peak concurrent blob streams (server)': peak,
            failures,
            'agents that exited (not stopped by the bench)': exited,
            'total s': round(totalSeconds),
            'single-stream MiB/s': Number(mib(singleThroughput)),
            'ideal s': round(idealSeconds),
            'total / ideal': round(totalSeconds / idealSeconds),
            'max pull slot wait s (server log)': round(maxWait(server.logs)),
            'mean slot held s (server log)': round(meanHeld(server.logs)),
            // Who the time goes to: the server's CPU against every agent's, from publish to the last switch.
            'server CPU s (user+sys)': round(serverCpu),
            'agents CPU s (user+sys, all that stayed up)': round(agentsCpu),
            'server CPU / total': round(serverCpu / totalSeconds),
          },
          rsync: { 'max connections': slots, refused: rsync.refused, 'retries (naive loop)': rsync.retries, failures: rsync.failures, 'failure reasons': rsync.reasons, 'total s': round(rsync.seconds) },
          'load average (1 min) at the end': `${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores`,
          targets: {
            [`peak ${peak} <= ${slots} slots`]: peak <= slots,
            [`failures ${failures} = 0`]: failures === 0,
            [`total ${round(totalSeconds)} s <= rsync's ${round(rsync.seconds)} s`]: totalSeconds <= rsync.seconds,
          },
        },
        null,
        2,
      ),
    );
  } finally {
    await Promise.all(processes.map((proc) => proc.stop('SIGKILL')));
    await workDir.dispose();
  }
}

/**
 * CPU seconds (user + system) a process has used; undefined once it has exited (the kernel drops
 * its /proc entry when the bench reaps it).
 */
function cpuSecondsOf(proc: CodesyncProcess): number | undefined {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return undefined;
  try {
    return cpuMsOf(proc.child.pid!) / 1000;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * What the output says of an agent that exited by itself: how, and the last thing it wrote. Its
 * whole stderr (a fatal error's native and JS stacks run to dozens of lines) and its last log lines
 * go to a file that outlives the work dir, named in the output.
 */
function exitReport(node: string, agent: CodesyncProcess): { node: string; code: number | null; signal: string | null; lastLog: unknown; stderr: string; kept: string } {
  const last = agent.logs.at(-1);
  const kept = join(tmpdir(), `codesync-herd-${node}-${agent.child.pid}.log`);
  const logs = agent.logs.slice(-50).map((line) => JSON.stringify(line));
  writeFileSync(kept, [...logs, '--- stderr', ...agent.stderr, ''].join('\n'));
  return { node, code: agent.child.exitCode, signal: agent.child.signalCode, lastLog: last && { level: last.level, msg: last.msg, err: last.err }, stderr: agent.stderr.slice(-3).join(' | '), kept };
}

/**
 * Removes the herd's copies, 8 at a time: one after another, 100 trees of 10 000 files took
 * longer than the herd itself on a loaded machine.
 */
async function removeAll(dirs: readonly string[]): Promise<void> {
  await mapLimit(dirs, 8, (dir) => rm(dir, { recursive: true, force: true }));
}

/** N clients each running `rsync -a` in a naive loop: refused → wait `retryMs` → again. */
async function rsyncHerd(work: string, tree: string, clients: number, maxConnections: number, retryMs: number): Promise<{ refused: number; retries: number; failures: number; reasons: Record<string, number>; seconds: number }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const config = join(work, 'rsyncd.conf');
  await writeFile(config, `use chroot = no\nport = ${port}\naddress = 127.0.0.1\npid file = ${join(work, 'rsyncd.pid')}\nlock file = ${join(work, 'rsyncd.lock')}\n[tree]\n  path = ${tree}\n  read only = yes\n  max connections = ${maxConnections}\n`);
  const daemon = spawn('rsync', ['--daemon', '--no-detach', `--config=${config}`], { stdio: 'ignore' });
  let refused = 0;
  let failures = 0;
  const reasons: Record<string, number> = {};
  try {
    await sleep(500);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, n) => {
        for (;;) {
          const { code, stderr } = await rsyncOnce(port, join(work, `rsync-${n}`));
          if (code === 0) return;
          // A refusal ("@ERROR: max connections (N) reached -- try again later") exits 5; under load
          // the daemon may close before the client reads that line, so every 5 counts as one.
          if (code === 5) {
            refused += 1;
            await sleep(retryMs);
            continue;
          }
          failures += 1;
          const reason = `exit ${code}: ${stderr.trim().split('\n')[0] ?? ''}`;
          reasons[reason] = (reasons[reason] ?? 0) + 1;
          return;
        }
      }),
    );
    return { refused, retries: refused, failures, reasons, seconds: (performance.now() - started) / 1000 };
  } finally {
    daemon.kill();
    await removeAll(Array.from({ length: clients }, (_, n) => join(work, `rsync-${n}`)));
  }
}

async function rsyncOnce(port: number, dest: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn('rsync', ['-a', '--delete', `rsync://127.0.0.1:${port}/tree/`, `${dest}/`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

function agentArgs(url: string, root: string, node: string, labels: string): string[] {
  return ['agent', '--server', url, '--root', root, '--node', node, '--labels', labels, '--listen', '127.0.0.1:0', '--no-socket', '--verify-interval', '0'];
}

async function putApp(url: string, app: string, nodeSelector: string): Promise<void> {
  const response = await fetch(`${url}/v1/apps/${app}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nodeSelector }) });
  if (!response.ok) throw new Error(`PUT /v1/apps/${app}: ${response.status}`);
}

/** Publishes with the real CLI; returns the release's createdAt (ms), the start of the clock. */
async function publish(url: string, app: string, dir: string): Promise<number> {
  const result = await runCli(['publish', dir, '--server', url, '--app', app, '--create', '--selector', '']);
  if (result.code !== 0) throw new Error(`publish failed: ${result.stderr}`);
  const info = (await (await fetch(`${url}/v1/apps/${app}`)).json()) as { latest: { createdAt: string } };
  return Date.parse(info.latest.createdAt);
}

/** Failed syncs and errors an agent logged. */
function failureLines(logs: readonly LogLine[]): number {
  return logs.filter((line) => (line.level ?? 0) >= 50 || String(line.msg).startsWith('sync failed')).length;
}

function maxWait(logs: readonly LogLine[]): number {
  return logs.reduce((most, line) => (line.msg === 'pull slot granted' && typeof line.waitedSeconds === 'number' ? Math.max(most, line.waitedSeconds) : most), 0);
}

function meanHeld(logs: readonly LogLine[]): number {
  const held = logs.flatMap((line) => (line.msg === 'pull slot released' && typeof line.heldSeconds === 'number' ? [line.heldSeconds] : []));
  return held.reduce((sum, seconds) => sum + seconds, 0) / Math.max(1, held.length);
}

const mib = (bytesPerSecond: number) => (bytesPerSecond / 1024 / 1024).toFixed(1);
const round = (value: number) => Math.round(value * 100) / 100;
const log = (message: string) => process.stderr.write(`herd: ${message}\n`);
