import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CodesyncProcess } from '../test/helpers/codesync-process.js';
import { startRsyncDaemon, type RsyncDaemon } from '../test/helpers/rsync-daemon.js';
import { contentPool, fileContent, generateTree, smallFileName, writeSmallTree } from './tree-generator.js';
import { numberFlag, stringFlag } from './bench-args.js';
import { benchWorkDir } from './bench-fs.js';
import { changeRound, fleetSettled, phaseMedians, publish, type RoundResult } from './change-round.js';
import { agentArgs, coldAgent, coldSyncRows, coldSyncWithoutFsync, type SpawnCodesync } from './cold-sync.js';
import { log, mib, ms, printTable, ratio, verdict, type Row } from './figure-table.js';
import { percentile } from './percentile.js';
import { rssMiBOf } from './process-stats.js';
import { rsyncPull } from './rsync-pull.js';
import { assertServed, FLEET_SAMPLE_EVERY } from './served-tree.js';

/**
 * Publish → live on every node, against rsync from `rsync --daemon` of the same tree in the same
 * run (issue 13's targets). Every figure is measured from the CLI as a CI job sees it: a round
 * starts when `codesync publish` is spawned and ends when the new bytes are under `current` on
 * every node (the agents' `switched` log line; then, the clock stopped, the bytes read back and
 * compared: the changed file of a round, every file of one agent's cold sync, a sample of a fleet's).
 *
 * - a tree of `--files` generated files (~167 MB at 10 000): one agent cold (wall from its start,
 *   peak RSS, idle RSS against an agent holding nothing), `--agents` agents cold at once, then
 *   one one-file change (4 KiB) at once, while the cold syncs' background work (spare and
 *   reserve clones) still runs — a hotfix landing just after a scale-up, reported on its own —
 *   then, once every agent logged `background work settled`, `--rounds` one-file changes `--gap`
 *   ms apart, live on all agents: p50/p99/max (the target's steady rounds), and `--listed-rounds`
 *   more published with `--changed-from` (the CLI told the changed path instead of walking),
 *   spread among them;
 * - a tree of `--big-files` files of ~15 bytes: one agent cold, idle RSS, `--big-rounds`
 *   one-file changes and as many (at most `--listed-rounds`) with `--changed-from` among them.
 * rsync: a cold `rsync -a` into an empty directory and the one-file change pulled by
 * `rsync -a --delete`, per node. Args (defaults): `--files 10000 --agents 20 --rounds 20
 * --listed-rounds 10 --gap 5000 --big-files 100000 --big-rounds 5`; `--big-files 0` skips the big tree, `--files 0`
 * the generated one (`--files 0 --big-rounds 0`: the 100 000-file cold sync against rsync alone).
 * `--agent-cli PATH` runs the agents from another build's `dist/cli/main.js` (a same-run A/B of
 * the agent alone); `--agent-prof DIR` writes each agent's CPU profile there (node --cpu-prof);
 * `--logs DIR` keeps the server's and agents' JSON log lines there, one file each, and the rounds'
 * start times (rounds.json), to line a slow round up with what ran beside it.
 * `--fs ext4|xfs` (default: none, the temp dir as it is) runs the whole work dir — server, agents,
 * rsync's side alike — on a filesystem made fresh for the run and loop-mounted (root only; see
 * bench/bench-fs.ts; `--fs-size GiB`, 24): cold syncs create one inode per file, and this
 * machine's no-journal ext4 makes that slow after mass deletes. The table names the filesystem.
 */
export async function run(args: string[]): Promise<void> {
  const files = numberFlag(args, 'files', 10_000);
  const agentCount = numberFlag(args, 'agents', 20);
  const rounds = numberFlag(args, 'rounds', 20);
  const gapMs = numberFlag(args, 'gap', 5000);
  const bigFiles = numberFlag(args, 'big-files', 100_000);
  const bigRounds = numberFlag(args, 'big-rounds', 5);
  const listedRounds = numberFlag(args, 'listed-rounds', 10);
  const agentEntry = stringFlag(args, 'agent-cli');
  const agentProfDir = stringFlag(args, 'agent-prof');
  const logsDir = stringFlag(args, 'logs');
  const workDir = await benchWorkDir(args, 'codesync-bench-propagation-');
  const work = workDir.path;
  log(`work dir ${work}: ${workDir.filesystem}`);
  const processes: CodesyncProcess[] = [];
  const spawnCodesync: SpawnCodesync = (cliArgs, env = {}) => {
    // The thread pool the chart gives the agent (docs/operations.md): fdatasync overlaps the
    // transfer; and the agent's small young generation, which keeps its idle RSS down (the
    // chart's NODE_OPTIONS, given as node's own argument: spawnNode drops NODE_OPTIONS).
    const agent = cliArgs[0] === 'agent';
    const nodeArgs = agent ? ['--max-semi-space-size=2', ...(agentProfDir ? ['--cpu-prof', `--cpu-prof-dir=${agentProfDir}`] : [])] : [];
    const proc = new CodesyncProcess(cliArgs, { env: { CODESYNC_LOG_LEVEL: 'info', UV_THREADPOOL_SIZE: '64', ...env }, nodeArgs, entry: agent ? agentEntry : undefined });
    processes.push(proc);
    return proc;
  };
  const roundStarts: RoundStart[] = [];
  const rows: Row[] = [['work dir filesystem', workDir.filesystem, '', '']];
  let daemon: RsyncDaemon | undefined;
  try {
    const tree = join(work, 'tree');
    const big = join(work, 'big');
    log(`writing ${files} files...`);
    await mkdir(tree, { recursive: true });
    const generated = await generateTree(tree, { files });
    if (bigFiles > 0) {
      log(`writing ${bigFiles} small files...`);
      await writeSmallTree(big, bigFiles);
    }
    await mkdir(join(work, 'rsyncd'));
    daemon = await startRsyncDaemon(join(work, 'rsyncd'), { tree: { path: tree }, big: { path: big } });

    if (files > 0) {
      const server = spawnCodesync(['server', '--data', join(work, 'data'), '--listen', '127.0.0.1:0', '--max-concurrent-pulls', String(agentCount)]);
      const url = await server.ready(120_000);

      // An agent holding nothing: the baseline the idle RSS of a held app is compared with.
      const empty = spawnCodesync(agentArgs(url, join(work, 'empty'), 'empty'));
      await empty.ready(120_000);
      await sleep(3000);
      const emptyRss = rssMiBOf(empty.child.pid!);
      await empty.stop();

      log('cold publish...');
      const cache = join(work, 'hash-cache.json');
      const coldPublish = await publish(url, 'bench', tree, cache);
      const tenK = `${generated.files} files, ${(generated.bytes / 1e6).toFixed(0)} MB`;
      rows.push([`cold publish (${tenK}; target in bench/publish)`, ms(coldPublish.ms), '', '']);

      log('one agent cold...');
      const single = await coldAgent(url, join(work, 'cold'), 'cold', spawnCodesync, { source: tree, app: 'bench', paths: generated.paths, every: 1 });
      // Measured: it leaves, or every round after would sync agentCount + 1 nodes.
      await single.proc.stop();
      const rsyncCold = await rsyncPull(daemon.port, join(work, 'rsync-cold'));
      rows.push(...coldSyncRows(tenK, single, rsyncCold));
      rows.push(await coldSyncWithoutFsync(url, join(work, 'cold-no-fsync'), spawnCodesync, rsyncCold, { source: tree, app: 'bench', paths: generated.paths, every: 1 }));
      rows.push(['agent RSS idle, holding nothing', mib(emptyRss), '', '']);
      rows.push([`agent RSS idle, holding ${generated.files} files`, mib(single.idleRss), `within 10 MiB of holding nothing: ${verdict(single.idleRss - emptyRss <= 10)}`, '']);
      rows.push([`agent RSS peak, cold sync of ${generated.files} files`, mib(single.peakRss), `< 200 MiB: ${verdict(single.peakRss < 200)}`, '']);

      log(`${agentCount} agents cold...`);
      const agents: CodesyncProcess[] = [];
      const coldStarted = performance.now();
      for (let n = 0; n < agentCount; n++) agents.push(spawnCodesync(agentArgs(url, join(work, `node-${n}`), `node-${n}`)));
      await Promise.all(agents.map((agent) => agent.waitForLog((line) => line.msg === 'switched', 1_200_000)));
      const herdMs = performance.now() - coldStarted;
      await Promise.all(agents.map((_agent, n) => assertServed(tree, join(work, `node-${n}`, 'apps', 'bench', 'current'), generated.paths, FLEET_SAMPLE_EVERY)));
      rows.push([`cold sync, ${agentCount} agents at once`, ms(herdMs), `≤ ${agentCount}× rsync: ${verdict(herdMs <= agentCount * rsyncCold.ms)} (${ratio(herdMs, agentCount * rsyncCold.ms)})`, `${ms(agentCount * rsyncCold.ms)} (${agentCount}×)`]);

      const rsyncNodes = Math.min(agentCount, 5);
      const rsyncPort = daemon.port;
      for (let n = 0; n < rsyncNodes; n++) await rsyncPull(rsyncPort, join(work, `rsync-${n}`));
      const changed = Math.floor(generated.files / 2);
      const path = generated.paths[changed]!;
      const listFile = join(work, 'changed.txt');
      await writeFile(listFile, `${path}\n`);
      const round = (version: number, flags: readonly string[] = []): Promise<RoundResult> => {
        const content = fileContent(contentPool(), changed, 4096, version);
        return writeFile(join(tree, path), content).then(() => changeRound(server, 'bench', tree, cache, agents, path, content, (n) => join(work, `node-${n}`), 'bench', flags));
      };

      // A hotfix right after a scale-up: every agent still clones the trees its next releases are
      // built in (3 clones of the whole tree each, at low priority), 20 agents on 2 cores. Not one
      // of the target's rounds, which are 5 s apart with the background work of one-file changes
      // between them; reported so the cost stays in sight.
      log('one-file change right after the cold syncs...');
      const afterCold = await round(0);
      roundStarts.push({ round: 'after-cold', startedAt: afterCold.startedAt, liveMs: Math.round(afterCold.liveMs) });
      const coldSettled = await fleetSettled(agents);
      rows.push([`one-file change right after the cold syncs (their background work running)`, ms(afterCold.liveMs), '', '']);
      rows.push([`  agent phases from its sync's start, median wall/CPU ms`, phaseMedians(afterCold.phases), '', '']);
      rows.push([`  background work of every agent settled, after that change's start`, ms(coldSettled - afterCold.startedAt), '', '']);

      // The target's rounds walk the tree; the rounds published with --changed-from (a CI job
      // that passes git's list of changed paths) are spread among them, so a slower stretch of
      // this shared machine hits both alike.
      const schedule = interleaved(rounds, listedRounds);
      log(`${schedule.length} one-file changes (${listedRounds} of them with --changed-from), ${gapMs} ms apart...`);
      const walked: RoundResult[] = [];
      const listed: RoundResult[] = [];
      let rsyncChange = 0;
      for (let n = 1; n <= schedule.length; n++) {
        const roundStart = performance.now();
        const isListed = schedule[n - 1]!;
        const result = await round(n, isListed ? ['--changed-from', listFile] : []);
        (isListed ? listed : walked).push(result);
        const name = `${isListed ? 'listed-' : ''}${n}`;
        roundStarts.push({ round: name, startedAt: result.startedAt, liveMs: Math.round(result.liveMs) });
        if (rsyncChange === 0) {
          const pulls = [];
          for (let node = 0; node < rsyncNodes; node++) pulls.push((await rsyncPull(rsyncPort, join(work, `rsync-${node}`))).ms);
          rsyncChange = median(pulls);
        }
        log(`round ${name}: live on all ${agentCount} in ${Math.round(result.liveMs)} ms (released ${Math.round(result.releasedMs)} ms, publish ${Math.round(result.publishMs)} ms)`);
        const rest = gapMs - (performance.now() - roundStart);
        if (rest > 0 && n < schedule.length) await sleep(rest);
      }
      const label = `one 4 KiB file of ${generated.files}, live on ${agentCount} agents`;
      rows.push(...fleetRoundRows(label, walked, `${ms(rsyncChange)} per node (+ cron wait)`));
      if (listed.length > 0) rows.push(...fleetRoundRows(`${label}, publish --changed-from`, listed, ''));
      for (const proc of agents) await proc.stop();
    }

    if (bigFiles > 0) await bigTree({ work, big, count: bigFiles, rounds: bigRounds, listedRounds: Math.min(listedRounds, bigRounds), gapMs, daemon, rows, roundStarts, spawnCodesync });
  } finally {
    printTable(rows);
    for (const proc of processes) await proc.stop('SIGKILL');
    if (logsDir) await keepLogs(logsDir, processes, roundStarts);
    await daemon?.kill();
    await workDir.dispose();
  }
}

/** When a round began (epoch ms, comparable with the log lines' `time`) and how long it took. */
interface RoundStart {
  round: string;
  startedAt: number;
  liveMs: number;
}

/** `plain + listed` rounds, true for a listed one: the listed spread evenly among the others. */
function interleaved(plain: number, listed: number): boolean[] {
  const total = plain + listed;
  return Array.from({ length: total }, (_, i) => Math.floor(((i + 1) * listed) / total) > Math.floor((i * listed) / total));
}

/** Target 1's rows for one set of rounds on the fleet: live p50, p99 and max, and what they hold. */
function fleetRoundRows(label: string, results: readonly RoundResult[], rsync: string): Row[] {
  const live = results.map((result) => result.liveMs);
  const switchCpu = results.flatMap((result) => result.switchCpuMs);
  const phases = results.flatMap((result) => result.phases);
  const p50 = percentile(live, 50);
  const p99 = percentile(live, 99);
  const worst = Math.max(...live);
  const rows: Row[] = [
    [`${label}: p50 (${results.length} rounds)`, ms(p50), `< 500 ms: ${verdict(p50 < 500)}`, rsync],
    [`${label}: p99`, ms(p99), `< 1 s: ${verdict(p99 < 1000)}`, ''],
    [`${label}: max`, ms(worst), `≤ 2 s: ${verdict(worst <= 2000)}`, ''],
    [`  of which the release (CLI start → the server's \`release published\`), p50`, ms(percentile(results.map((result) => result.releasedMs), 50)), '', ''],
    [`  publish (CLI start → exit, its end overlapping the agents' syncs), p50`, ms(percentile(results.map((result) => result.publishMs), 50)), '', ''],
  ];
  if (switchCpu.length > 0) rows.push([`  agent CPU from its sync's start to the switch, p50 / p99`, `${percentile(switchCpu, 50).toFixed(1)} / ${percentile(switchCpu, 99).toFixed(1)} ms`, '', '']);
  if (phases.length > 0) rows.push([`  agent phases from its sync's start, median wall/CPU ms`, phaseMedians(phases), '', '']);
  return rows;
}

/** Cold sync, idle RSS and one-file changes on a tree of `count` files of ~15 bytes. */
async function bigTree(options: { work: string; big: string; count: number; rounds: number; listedRounds: number; gapMs: number; daemon: RsyncDaemon; rows: Row[]; roundStarts: RoundStart[]; spawnCodesync: SpawnCodesync }): Promise<void> {
  const { work, big, count, rows, daemon } = options;
  // A server of its own: the 10 000-file app stays out of this agent's way.
  const server = options.spawnCodesync(['server', '--data', join(work, 'big-data'), '--listen', '127.0.0.1:0']);
  const url = await server.ready(120_000);
  const cache = join(work, 'big-cache.json');
  log(`cold publish of ${count} files...`);
  const coldPublish = await publish(url, 'big', big, cache);
  rows.push([`cold publish (${count} small files; target in bench/publish)`, ms(coldPublish.ms), '', '']);
  log(`one agent cold, ${count} files...`);
  const paths = Array.from({ length: count }, (_, index) => smallFileName(index));
  const agent = await coldAgent(url, join(work, 'big-root'), 'big', options.spawnCodesync, { source: big, app: 'big', paths, every: 1 });
  const rsyncCold = await rsyncPull(daemon.port, join(work, 'rsync-big'), 'big');
  rows.push(...coldSyncRows(`${count} small files`, agent, rsyncCold));
  rows.push(await coldSyncWithoutFsync(url, join(work, 'big-root-no-fsync'), options.spawnCodesync, rsyncCold, { source: big, app: 'big', paths, every: 1 }));
  rows.push([`agent RSS idle, holding ${count} files`, mib(agent.idleRss), `< 120 MiB: ${verdict(agent.idleRss < 120)}`, '']);
  rows.push([`agent RSS peak, cold sync of ${count} files`, mib(agent.peakRss), `< 200 MiB: ${verdict(agent.peakRss < 200)}`, '']);
  const listFile = join(work, 'big-changed.txt');
  const walked: RoundResult[] = [];
  const listed: RoundResult[] = [];
  const schedule = interleaved(options.rounds, options.listedRounds);
  for (let round = 1; round <= schedule.length; round++) {
    const roundStart = performance.now();
    const isListed = schedule[round - 1]!;
    const path = smallFileName(round);
    const content = Buffer.from(`v${round} ${path}\n`);
    await writeFile(join(big, path), content);
    await writeFile(listFile, `${path}\n`);
    const result = await changeRound(server, 'big', big, cache, [agent.proc], path, content, () => join(work, 'big-root'), 'big', isListed ? ['--changed-from', listFile] : []);
    (isListed ? listed : walked).push(result);
    const name = `big-${isListed ? 'listed-' : ''}${round}`;
    options.roundStarts.push({ round: name, startedAt: result.startedAt, liveMs: Math.round(result.liveMs) });
    log(`round ${name}: live in ${Math.round(result.liveMs)} ms (released ${Math.round(result.releasedMs)} ms, publish ${Math.round(result.publishMs)} ms)`);
    const rest = options.gapMs - (performance.now() - roundStart);
    if (rest > 0 && round < schedule.length) await sleep(rest);
  }
  const bigRows = (label: string, results: readonly RoundResult[]): void => {
    if (results.length === 0) return;
    const live = results.map((result) => result.liveMs);
    const p50 = percentile(live, 50);
    rows.push([`${label}: p50 (${results.length} rounds)`, ms(p50), `< 1 s: ${verdict(p50 < 1000)}`, '']);
    rows.push([`${label}: max`, ms(Math.max(...live)), '', '']);
    rows.push([`  of which the release (CLI start → the server's \`release published\`), p50`, ms(percentile(results.map((result) => result.releasedMs), 50)), '', '']);
  };
  bigRows(`one file of ${count}, live on one agent`, walked);
  bigRows(`one file of ${count}, live on one agent, publish --changed-from`, listed);
  await agent.proc.stop();
}

/** Each process's log lines as JSON lines in `dir` (named by its role and node), and the rounds' starts. */
async function keepLogs(dir: string, processes: CodesyncProcess[], rounds: RoundStart[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'rounds.json'), JSON.stringify(rounds, null, 1));
  for (const [n, proc] of processes.entries()) {
    const args = proc.child.spawnargs;
    const at = args.indexOf('--node');
    const name = at >= 0 ? `agent-${args[at + 1]}` : `${n}-${args.find((arg) => arg === 'server') ?? 'process'}`;
    await writeFile(join(dir, `${name}.log`), proc.logs.map((line) => JSON.stringify(line)).join('\n') + '\n');
  }
  log(`logs kept in ${dir}`);
}

function median(values: number[]): number {
  return percentile(values, 50);
}
