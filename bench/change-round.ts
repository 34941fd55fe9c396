import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CLI, type CodesyncProcess } from '../test/helpers/codesync-process.js';
import { percentile } from './percentile.js';

// One-file rounds of bench/propagation: a publish through the CLI, timed until every agent serves it.

/** One agent's `switched` line: ms and CPU ms from its sync's start to the end of each phase. */
export interface SwitchPhases {
  ms: Record<string, number> | undefined;
  cpuMs: Record<string, number> | undefined;
}

/** `phase wall/cpu` medians over every switch, in the order the agent logs its phases. */
export function phaseMedians(all: SwitchPhases[]): string {
  const names = Object.keys(all.find((phases) => phases.ms)?.ms ?? {});
  const of = (pick: (phases: SwitchPhases) => number | undefined) => percentile(all.map(pick).filter((value): value is number => typeof value === 'number'), 50);
  return names.map((name) => `${name} ${Math.round(of((phases) => phases.ms?.[name]))}/${of((phases) => phases.cpuMs?.[name]).toFixed(1)}`).join(', ');
}

export interface RoundResult {
  /** Epoch ms of the publish's spawn. */
  startedAt: number;
  liveMs: number;
  publishMs: number;
  releasedMs: number;
  switchCpuMs: number[];
  phases: SwitchPhases[];
}

/**
 * When every agent logged `background work settled` after its last switch (epoch ms, the last
 * of them): the clones, prunes and manifests its syncs left behind are done.
 */
export async function fleetSettled(agents: readonly CodesyncProcess[]): Promise<number> {
  const lines = await Promise.all(
    agents.map((agent) => {
      const lastSwitch = agent.logs.findLastIndex((line) => line.msg === 'switched');
      return agent.waitForLog((line) => line.msg === 'background work settled' && agent.logs.indexOf(line) > lastSwitch, 600_000);
    }),
  );
  return Math.max(...lines.map((line) => line.time as number));
}

/**
 * One round: publish through the CLI, wait until every agent logged the switch to the new seq,
 * check the new bytes are under each one's `current`. Live = from the publish's spawn to the
 * last agent's switch.
 */
export async function changeRound(server: CodesyncProcess, app: string, tree: string, cache: string, agents: CodesyncProcess[], path: string, content: Buffer, rootOf: (n: number) => string, appDir = app, publishFlags: readonly string[] = []): Promise<RoundResult> {
  const marks = agents.map((agent) => agent.logs.length);
  const started = Date.now();
  const published = await publish(server.url, app, tree, cache, publishFlags);
  // The moment agents can start: the CLI's exit comes later (it keeps its caches after the answer).
  const release = await server.waitForLog((line) => line.msg === 'release published' && line.app === app && line.seq === published.seq, 60_000);
  const switches = await Promise.all(agents.map((agent, n) => agent.waitForLog((line) => line.msg === 'switched' && line.seq === published.seq && agent.logs.indexOf(line) >= marks[n]!, 120_000)));
  const liveMs = Math.max(...switches.map((line) => (line.time as number) - started));
  await Promise.all(
    agents.map(async (_agent, n) => {
      const onDisk = await readFile(join(rootOf(n), 'apps', appDir, 'current', path));
      if (!onDisk.equals(content)) throw new Error(`node ${n}: ${path} under current does not hold the published bytes`);
    }),
  );
  // Each agent's CPU from the start of its sync to the switch (the switched log's cpuMs): what the
  // change cost, however long a loaded machine made it wait.
  const switchCpuMs = switches.map((line) => (line.cpuMs as Record<string, number> | undefined)?.switched).filter((cpu): cpu is number => typeof cpu === 'number');
  return { startedAt: started, liveMs, publishMs: published.ms, releasedMs: (release.time as number) - started, switchCpuMs, phases: switches.map((line) => ({ ms: line.ms as Record<string, number> | undefined, cpuMs: line.cpuMs as Record<string, number> | undefined })) };
}

/**
 * `codesync publish` as CI runs it (with a hash cache kept between runs; `flags` such as
 * `--changed-from LIST` added); wall from spawn to exit.
 */
export async function publish(url: string, app: string, dir: string, cache: string, flags: readonly string[] = []): Promise<{ seq: number; ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'publish', dir, '--server', url, '--app', app, '--create', '--selector', '', '--cache', cache, '--progress', 'none', ...flags], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' } });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk));
  const [code] = (await once(child, 'exit')) as [number];
  if (code !== 0) throw new Error(`publish exited ${code}`);
  return { seq: Number(out.trim().split(/\s+/)[0]), ms: performance.now() - started };
}
