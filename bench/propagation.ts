import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLI, CodesyncProcess } from '../test/helpers/codesync-process.js';

/**
 * Publish → activated on many nodes, against rsync. Builds a tree of small files, starts a real
 * server and N real agents, and measures: one-file-change propagation (p50/p99 over rounds,
 * from the release's createdAt to each agent's `switched` log line), blob bytes per agent, the
 * same change pulled by `rsync -a --delete` from a real `rsync --daemon` (bytes and wall time per
 * node), agent RSS idle and during a cold sync, cold sync wall against cold rsync, and a
 * one-change publish on a 100 000-file tree.
 * Args: `--files N` (10 000), `--agents N` (20), `--rounds N` (20), `--big-files N` (100 000; 0 skips).
 */
export async function run(args: string[]): Promise<void> {
  const arg = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
  const files = arg('--files', 10_000);
  const agentCount = arg('--agents', 20);
  const rounds = arg('--rounds', 20);
  const bigFiles = arg('--big-files', 100_000);
  const work = await mkdtemp(join(tmpdir(), 'codesync-bench-propagation-'));
  const processes: CodesyncProcess[] = [];
  const spawnCodesync = (cliArgs: string[]) => {
    const proc = new CodesyncProcess(cliArgs, { env: { CODESYNC_LOG_LEVEL: 'info' } });
    processes.push(proc);
    return proc;
  };
  try {
    const tree = join(work, 'tree');
    log(`writing ${files} files...`);
    await writeTree(tree, files, 0);
    const server = spawnCodesync(['server', '--data', join(work, 'data'), '--listen', '127.0.0.1:0', '--max-concurrent-pulls', String(agentCount)]);
    const url = await server.ready();
    await publish(url, 'bench', tree);

    // Cold sync of one agent, RSS sampled while it runs.
    const coldRoot = join(work, 'cold');
    const coldStart = performance.now();
    const cold = spawnCodesync(agentArgs(url, coldRoot, 'cold'));
    const coldRss = sampleRss(cold);
    await cold.waitForLog((line) => line.msg === 'switched', 600_000);
    const coldMs = performance.now() - coldStart;
    const coldPeakRss = coldRss.stop();
    // Idle: after the background spare clone and the full manifest write have settled.
    await sleep(15_000);
    const idleRss = rssMiB(cold.child.pid!);
    await cold.stop();

    // rsync daemon over the same tree.
    const rsyncPort = 20_000 + Math.floor(Math.random() * 20_000);
    await writeFile(join(work, 'rsyncd.conf'), `use chroot = no\nport = ${rsyncPort}\npid file = ${join(work, 'rsyncd.pid')}\n[tree]\n  path = ${tree}\n  read only = yes\n`);
    const daemon = spawn('rsync', ['--daemon', '--no-detach', `--config=${join(work, 'rsyncd.conf')}`], { stdio: 'ignore' });
    await sleep(500);
    const rsyncNodes = Math.min(agentCount, 5);
    const coldRsync = await rsyncPull(rsyncPort, join(work, 'rsync-0'));
    for (let n = 1; n < rsyncNodes; n++) await rsyncPull(rsyncPort, join(work, `rsync-${n}`));

    log(`starting ${agentCount} agents...`);
    const agents: CodesyncProcess[] = [];
    for (let n = 0; n < agentCount; n++) agents.push(spawnCodesync(agentArgs(url, join(work, `node-${n}`), `node-${n}`)));
    const agentUrls = await Promise.all(agents.map((agent) => agent.ready()));
    await Promise.all(agents.map((agent) => agent.waitForLog((line) => line.msg === 'switched', 600_000)));

    const latencies: number[] = [];
    const bytesPerAgent: number[] = [];
    let rsyncStats = { bytes: 0, ms: 0 };
    for (let round = 1; round <= rounds; round++) {
      const before = await Promise.all(agentUrls.map((agentUrl) => fetchedBytes(agentUrl)));
      const marks = agents.map((agent) => agent.logs.length);
      await writeFile(join(tree, fileName(round % files)), fileContent(round % files, round, 4096));
      const seq = await publish(url, 'bench', tree);
      const createdAt = Date.parse(((await (await fetch(`${url}/v1/apps/bench`)).json()) as { latest: { createdAt: string } }).latest.createdAt);
      await Promise.all(
        agents.map(async (agent, n) => {
          const line = await agent.waitForLog((entry) => entry.msg === 'switched' && entry.seq === seq && agent.logs.indexOf(entry) >= marks[n]!, 120_000);
          latencies.push((line.time as number) - createdAt);
        }),
      );
      const after = await Promise.all(agentUrls.map((agentUrl) => fetchedBytes(agentUrl)));
      after.forEach((bytes, n) => bytesPerAgent.push(bytes - before[n]!));
      if (round === 1) {
        const pulls = [];
        for (let n = 0; n < rsyncNodes; n++) pulls.push(await rsyncPull(rsyncPort, join(work, `rsync-${n}`)));
        rsyncStats = { bytes: median(pulls.map((pull) => pull.bytes)), ms: median(pulls.map((pull) => pull.ms)) };
      }
    }
    daemon.kill();
    const agentBytes = median(bytesPerAgent);
    const deltaJson = await manifestDeltaBytes(url, rounds);

    print('propagation', {
      files,
      agents: agentCount,
      rounds,
      'publish→activated p50 ms': percentile(latencies, 50),
      'publish→activated p99 ms': percentile(latencies, 99),
      'blob bytes per agent per change': agentBytes,
      'manifest delta bytes per agent per change': deltaJson,
      'rsync bytes received per node per change': rsyncStats.bytes,
      'rsync wall ms per node per change': Math.round(rsyncStats.ms),
      'agent/rsync bytes %': +((100 * (agentBytes + deltaJson)) / rsyncStats.bytes).toFixed(2),
      'agent RSS idle MiB': idleRss,
      'agent RSS peak during cold sync MiB': coldPeakRss,
      'cold sync wall ms (agent start → switched)': Math.round(coldMs),
      'cold rsync -a wall ms': Math.round(coldRsync.ms),
      'cold agent/rsync': +(coldMs / coldRsync.ms).toFixed(2),
    });
    for (const proc of processes) await proc.stop();

    if (bigFiles > 0) await bigTree(work, bigFiles, spawnCodesync);
  } finally {
    for (const proc of processes) await proc.stop('SIGKILL');
    await rm(work, { recursive: true, force: true });
  }
}

/** One-change publish → activated on a tree of `count` files (the O(delta) claim). */
async function bigTree(work: string, count: number, spawnCodesync: (args: string[]) => CodesyncProcess): Promise<void> {
  const tree = join(work, 'big');
  log(`writing ${count} files...`);
  await writeTree(tree, count, 0, 200);
  const server = spawnCodesync(['server', '--data', join(work, 'big-data'), '--listen', '127.0.0.1:0']);
  const url = await server.ready();
  await publish(url, 'big', tree);
  const agent = spawnCodesync(agentArgs(url, join(work, 'big-root'), 'big'));
  await agent.ready();
  await agent.waitForLog((line) => line.msg === 'switched', 1_200_000);
  const results: { ms: number; phases: unknown }[] = [];
  for (let round = 1; round <= 5; round++) {
    // The spare clone of 100 000 links is rebuilt in the background after each switch.
    await sleep(15_000);
    await writeFile(join(tree, fileName(round)), fileContent(round, round, 200));
    const seq = await publish(url, 'big', tree);
    const createdAt = Date.parse(((await (await fetch(`${url}/v1/apps/big`)).json()) as { latest: { createdAt: string } }).latest.createdAt);
    const line = await agent.waitForLog((entry) => entry.msg === 'switched' && entry.seq === seq, 300_000);
    results.push({ ms: (line.time as number) - createdAt, phases: line.ms });
  }
  print(`${count}-file tree, one change`, {
    'publish→activated ms per round': results.map((result) => result.ms).join(', '),
    'p50 ms': percentile(results.map((result) => result.ms), 50),
    'agent phases of the last round (ms since the event)': JSON.stringify(results.at(-1)?.phases),
  });
}

export function agentArgs(url: string, root: string, node: string): string[] {
  return ['agent', '--server', url, '--root', root, '--node', node, '--listen', '127.0.0.1:0', '--no-socket', '--verify-interval', '0'];
}

function fileName(i: number): string {
  return `src/m${i % 50}/p${Math.floor(i / 50) % 20}/file${i}.php`;
}

function fileContent(i: number, version: number, size: number): string {
  return `<?php // file ${i} version ${version}\n`.padEnd(size - 1, '/') + '\n';
}

async function writeTree(dir: string, count: number, version: number, size = 2048): Promise<void> {
  const made = new Set<string>();
  for (let i = 0; i < count; i++) {
    const path = join(dir, fileName(i));
    const parent = join(path, '..');
    if (!made.has(parent)) await mkdir(parent, { recursive: true });
    made.add(parent);
    await writeFile(path, fileContent(i, version, size));
  }
}

async function publish(url: string, app: string, dir: string): Promise<number> {
  const child = spawn(process.execPath, [CLI, 'publish', dir, '--server', url, '--app', app, '--create', '--selector', ''], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk));
  const [code] = (await once(child, 'exit')) as [number];
  if (code !== 0) throw new Error(`publish exited ${code}`);
  return Number(out.trim().split(/\s+/)[0]);
}

export async function rsyncPull(port: number, dest: string): Promise<{ bytes: number; ms: number }> {
  await mkdir(dest, { recursive: true });
  const started = performance.now();
  const child = spawn('rsync', ['-a', '--delete', '--stats', `rsync://127.0.0.1:${port}/tree/`, `${dest}/`], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk));
  const [code] = (await once(child, 'exit')) as [number];
  if (code !== 0) throw new Error(`rsync exited ${code}`);
  const received = /Total bytes received: ([\d,.]+)/.exec(out)?.[1] ?? '0';
  const sent = /Total bytes sent: ([\d,.]+)/.exec(out)?.[1] ?? '0';
  return { bytes: Number(received.replace(/[,.]/g, '')) + Number(sent.replace(/[,.]/g, '')), ms: performance.now() - started };
}

export async function fetchedBytes(agentUrl: string): Promise<number> {
  // A kept-alive connection the agent just closed fails once; a fresh one does not.
  const text = await fetch(`${agentUrl}/metrics`)
    .catch(() => fetch(`${agentUrl}/metrics`))
    .then((response) => response.text());
  const line = text.split('\n').find((entry) => entry.startsWith('codesync_agent_fetched_bytes_total{'));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/** Size of the manifest delta body each agent reads for the last one-file step. */
async function manifestDeltaBytes(url: string, rounds: number): Promise<number> {
  const seq = rounds + 1;
  return (await (await fetch(`${url}/v1/apps/bench/releases/${seq}/manifest?base=${seq - 1}`)).arrayBuffer()).byteLength;
}

function rssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return Math.round(kb / 1024);
  } catch {
    return 0;
  }
}

function sampleRss(proc: CodesyncProcess): { stop(): number } {
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, rssMiB(proc.child.pid!))), 50);
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function median(values: number[]): number {
  return percentile(values, 50);
}

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function print(title: string, figures: Record<string, unknown>): void {
  process.stdout.write(`\n${title}\n`);
  for (const [name, value] of Object.entries(figures)) process.stdout.write(`  ${name.padEnd(48)} ${value}\n`);
}
