import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CLI, CodesyncProcess } from '../test/helpers/codesync-process.js';
import { cpuMsOf } from './process-stats.js';

/** One build's cold publish of a tree, with what it cost each side. */
export interface ColdRun {
  ms: number;
  cliCpuMs: number;
  serverCpuMs: number;
}

/** Publishes `dir` as app `app` to the server at `url`, with the CLI at `entry` and hash cache `cache`. */
export type ColdPublish = (dir: string, url: string, app: string, cache: string, entry: string) => Promise<{ ms: number; cpuMs: number }>;

/** A same-run reference measured beside each round (the floor, or `rsync -a`): its wall ms. */
export type Reference = () => Promise<number>;

/**
 * `rounds` cold publishes of `dir` by each of two builds (this one and the CLI entry `other`),
 * alternating which goes first, each to a server of its own build started on a fresh data dir
 * (so the server has never seen the tree) and stopped after; the reference (`tar | sha256sum`,
 * or `rsync -a`) is measured in each round too. Rows: medians of wall, CLI CPU and server CPU
 * of both builds, and each one's median ratio to the reference of its round.
 */
export async function coldAbRows(label: string, dir: string, work: string, other: string, rounds: number, publish: ColdPublish, reference: Reference, referenceName: string): Promise<[string, string, string, undefined][]> {
  const builds = [
    { name: 'this build', entry: CLI, runs: [] as ColdRun[], ratios: [] as number[] },
    { name: other, entry: other, runs: [] as ColdRun[], ratios: [] as number[] },
  ];
  const references: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const referenceMs = await reference();
    references.push(referenceMs);
    for (const [k, build] of (round % 2 === 0 ? builds : [...builds].reverse()).entries()) {
      const tag = `cold-${label.replace(/\W+/g, '-')}-${round}-${k}`;
      const run = await coldRun(dir, work, tag, build.entry, publish);
      build.runs.push(run);
      build.ratios.push(run.ms / referenceMs);
      process.stderr.write(`${label} round ${round} ${build.name}: ${(run.ms / 1000).toFixed(3)} s (CLI CPU ${(run.cliCpuMs / 1000).toFixed(3)} s, server CPU ${(run.serverCpuMs / 1000).toFixed(3)} s), ${referenceName} ${(referenceMs / 1000).toFixed(3)} s\n`);
    }
  }
  const s = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;
  return [
    [`${label}: a/b ${referenceName}`, `median of ${rounds}: ${s(median(references))}`, '', undefined],
    ...builds.map((build): [string, string, string, undefined] => [
      `${label}: a/b cold publish, ${build.name}`,
      `median of ${rounds}: ${s(median(build.runs.map((run) => run.ms)))} (${median(build.ratios).toFixed(2)}x; CLI CPU ${s(median(build.runs.map((run) => run.cliCpuMs)))}, server CPU ${s(median(build.runs.map((run) => run.serverCpuMs)))})`,
      '',
      undefined,
    ]),
  ];
}

async function coldRun(dir: string, work: string, tag: string, entry: string, publish: ColdPublish): Promise<ColdRun> {
  const data = join(work, `${tag}-data`);
  const cache = join(work, `${tag}-cache.json`);
  const server = new CodesyncProcess(['server', '--data', data, '--listen', '127.0.0.1:0'], { entry, env: { CODESYNC_LOG_LEVEL: 'info', UV_THREADPOOL_SIZE: '64' } });
  try {
    const url = await server.ready();
    const before = cpuMsOf(server.child.pid!);
    const { ms, cpuMs } = await publish(dir, url, 'cold', cache, entry);
    return { ms, cliCpuMs: cpuMs, serverCpuMs: cpuMsOf(server.child.pid!) - before };
  } finally {
    await server.stop();
    await rm(data, { recursive: true, force: true });
    await rm(cache, { force: true });
    await rm(join(work, `${tag}-cache.published`), { force: true });
  }
}

function median(samples: number[]): number {
  return [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] as number;
}
