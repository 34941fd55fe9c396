import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CodesyncProcess } from '../test/helpers/codesync-process.js';
import { log, ms, ratio, verdict, type Row } from './figure-table.js';
import { noFsyncEnv } from './no-fsync.js';
import { cpuMsOf, rssMiBOf } from './process-stats.js';
import type { RsyncPull } from './rsync-pull.js';
import { assertServed } from './served-tree.js';

/** Starts a codesync process (`env` added to the bench's own) and keeps it for the bench to stop. */
export type SpawnCodesync = (args: string[], env?: Record<string, string>) => CodesyncProcess;

/** What a cold agent's `current` is checked against once its figures are taken (bench/served-tree.ts). */
export interface ServedCheck {
  source: string;
  app: string;
  paths: readonly string[];
  /** Every how many paths one is read (1: all). */
  every: number;
}

export interface ColdSync {
  proc: CodesyncProcess;
  /** From the agent's spawn to its `switched` line. */
  ms: number;
  /** The agent process's CPU (user + system, every thread) from its start to the switch. */
  cpuMs: number;
  peakRss: number;
  idleRss: number;
}

/** The command line of a bench's agent: loopback, no socket, no periodic verification. */
export function agentArgs(url: string, root: string, node: string): string[] {
  return ['agent', '--server', url, '--root', root, '--node', node, '--listen', '127.0.0.1:0', '--no-socket', '--verify-interval', '0'];
}

/**
 * Starts one agent on an empty root: wall and CPU from its start to `switched`, peak RSS (until
 * idle), then idle RSS at its `background work settled` log line; then the bytes under its
 * `current` are checked against `served`.
 */
export async function coldAgent(url: string, root: string, node: string, spawnCodesync: SpawnCodesync, served: ServedCheck): Promise<ColdSync> {
  const started = performance.now();
  const proc = spawnCodesync(agentArgs(url, root, node));
  const sampler = sampleRss(proc);
  const switched = await proc.waitForLog((line) => line.msg === 'switched', 1_200_000);
  const wall = performance.now() - started;
  const cpuMs = cpuMsOf(proc.child.pid!);
  // Where the time went after the agent started: its own phases (ms since it asked for the release).
  log(`${node}: cold sync phases ${JSON.stringify(switched.ms)}, agent CPU ms ${JSON.stringify(switched.cpuMs)}`);
  // Background work after a switch (the spare and reserve trees, the full manifest) then settles:
  // the agent logs when, its memory given back. An agent that does not (an older build) is read
  // once its RSS stops moving, which can be before its low-priority clones end.
  const settled = await proc.waitForLog((line) => line.msg === 'background work settled' && proc.logs.indexOf(line) > proc.logs.indexOf(switched), 180_000).catch(() => undefined);
  const idleRss = settled ? rssMiBOf(proc.child.pid!) : await settledRss(proc.child.pid!);
  if (settled) log(`${node}: background work settled ${Math.round((settled.time as number) - (switched.time as number))} ms after the switch`);
  const peakRss = sampler.stop();
  await assertServed(served.source, join(root, 'apps', served.app, 'current'), served.paths, served.every);
  return { proc, ms: wall, cpuMs, peakRss, idleRss };
}

/** The cold sync's row against rsync's, and where its time went: CPU of the agent and of rsync's receiving side. */
export function coldSyncRows(tree: string, agent: ColdSync, rsync: RsyncPull): Row[] {
  return [
    [`cold sync, one agent (${tree})`, ms(agent.ms), `≤ 1.0× rsync: ${verdict(agent.ms <= rsync.ms)} (${ratio(agent.ms, rsync.ms)})`, ms(rsync.ms)],
    ['  its CPU, user + system (agent process / rsync client)', ms(agent.cpuMs), '', ms(rsync.cpuMs)],
  ];
}

/**
 * The same cold sync with every fsync skipped (libeatmydata preloaded into the agent): rsync makes
 * nothing durable, codesync makes every file durable before the switch, and this row says what
 * that promise costs in the same run. Not a target; the agent leaves when measured.
 */
export async function coldSyncWithoutFsync(url: string, root: string, spawnCodesync: SpawnCodesync, rsync: RsyncPull, served: ServedCheck): Promise<Row> {
  const figure = '  the same without fsync (eatmydata), to show what durability costs';
  const env = noFsyncEnv();
  if (!env) return [figure, 'not measured: apt-get install eatmydata', '', ''];
  const agent = await coldAgent(url, root, 'no-fsync', (args) => spawnCodesync(args, env), served);
  await agent.proc.stop();
  return [figure, `${ms(agent.ms)} (CPU ${ms(agent.cpuMs)})`, `${ratio(agent.ms, rsync.ms)} rsync`, ms(rsync.ms)];
}

/**
 * RSS once the background work after a switch is over: when it moved by at most 1 MiB over
 * 5 s (the clones of a 100 000-file tree take 10 s and more at low priority), at most 60 s on.
 */
async function settledRss(pid: number): Promise<number> {
  const samples: number[] = [];
  for (let second = 0; second < 60; second++) {
    await sleep(1000);
    samples.push(rssMiBOf(pid));
    const last = samples.slice(-6);
    if (last.length === 6 && Math.max(...last) - Math.min(...last) <= 1) break;
  }
  return samples.at(-1)!;
}

/** Peak RSS of `proc`, sampled every 50 ms until `stop`. */
function sampleRss(proc: CodesyncProcess): { stop(): number } {
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, rssMiBOf(proc.child.pid!))), 50);
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}
