import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLI, CodesyncProcess } from '../test/helpers/codesync-process.js';
import type { PublishResult } from '../cli/publish/publish-result.js';
import { DEFAULT_RACY_WINDOW_MS } from '../cli/publish/hash-cache.js';
import { contentPool, fileContent, generateTree } from './tree-generator.js';
import { numberFlag, stringFlag } from './bench-args.js';
import { benchWorkDir } from './bench-fs.js';
import { coldAbRows, type ColdPublish } from './publish-cold-ab.js';

/**
 * Publish cost against its floor. Builds a 10 000-file, ~200 MB tree, starts a real server, and
 * times (wall clock, the real CLI as a user runs it): the floor `tar -c DIR | sha256sum` (read and
 * hash every byte once), a cold publish, a re-publish after changing one file (sent as a manifest
 * delta), the same with `--changed-from` naming the file, and a no-op one. Then a tree of many
 * ~15-byte files: local `rsync -a` of it against a cold publish of it, and a one-file re-publish
 * (walked, then with `--changed-from`). Targets (issue 13): cold publish ≤ 2× the floor,
 * ≤ 1.5× `rsync -a` for the small files; a one-file re-publish of 10 000 files < 0.5 s; the CLI's
 * start within 0.1 s of `node -e 0`. Each publish prints the CLI's CPU time beside its wall time:
 * on a shared machine the wall time is mostly waiting for a core, the CPU time much less so.
 * Args: `--files N` to scale the tree, `--small-files N` (100 000; 0 skips that part).
 * `--ab-cli PATH --ab-rounds N` (default 0: off): N more one-file re-publishes of each tree,
 * alternating this build and the CLI entry at PATH (e.g. /work/main/dist/cli/main.js), each with
 * its own app and cache: medians of wall and CLI CPU time of both, from the same run.
 * `--fs ext4|xfs` (default: none, the temp dir as it is) puts the trees, the server's data and
 * rsync's copy on a filesystem made fresh for the run and loop-mounted (root only; see
 * bench/bench-fs.ts; `--fs-size GiB`, 24): a cold publish creates one inode per blob, and this
 * machine's no-journal ext4 makes that slow after mass deletes. The table names the filesystem.
 * `--ab-cli PATH --ab-cold N`: instead of the table above, N cold publishes of each tree by each
 * build, alternating, each to a server of its own build on a fresh data dir, with the floor (or
 * `rsync -a`) measured in every round: medians of wall, CLI CPU and server CPU (bench/publish-cold-ab.ts).
 */
export async function run(args: string[]): Promise<void> {
  const files = numberFlag(args, 'files', 10_000);
  const smallFiles = numberFlag(args, 'small-files', 100_000);
  const abCli = stringFlag(args, 'ab-cli');
  const abRounds = abCli ? numberFlag(args, 'ab-rounds', 5) : 0;
  const coldRounds = abCli ? numberFlag(args, 'ab-cold', 0) : 0;
  const load = `${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores`;
  const workDir = await benchWorkDir(args, 'codesync-bench-publish-');
  const work = workDir.path;
  process.stderr.write(`work dir ${work}: ${workDir.filesystem}\n`);
  const tree = join(work, 'tree');
  const cache = join(work, 'hash-cache.json');
  const server = new CodesyncProcess(['server', '--data', join(work, 'data'), '--listen', '127.0.0.1:0'], { env: { CODESYNC_LOG_LEVEL: 'info', UV_THREADPOOL_SIZE: '64' } });
  try {
    process.stderr.write(`generating ${files} files in ${tree}...\n`);
    const generated = await generateTree(tree, { files });
    // Files written within the racy window are hashed again on the next run by design; a CI
    // checkout is older than that by the time the publish runs.
    await sleep(DEFAULT_RACY_WINDOW_MS + 100);
    if (coldRounds > 0) {
      printTable(await coldAbOnly(work, tree, smallFiles, abCli!, coldRounds, load));
      return;
    }
    const url = await server.ready();

    const floor = await timed(() => shell(`set -o pipefail; tar -c -C '${tree}' . | sha256sum >/dev/null`));
    const publishTo = (dir: string, app: string, cacheFile: string, entry = CLI, flags: readonly string[] = []): Promise<Published> =>
      timed(() => cliWithCpu(['publish', dir, '--server', url, '--app', app, '--create', '--selector', '', '--cache', cacheFile, '--json', ...flags], entry)).then(({ ms, value }) => ({
        ms,
        cpuMs: value.cpuMs,
        value: JSON.parse(value.out) as PublishResult,
      }));
    const publish = () => publishTo(tree, 'bench', cache);

    // Medians of 5, alternating, so a burst of load hits both alike.
    const startups: number[] = [];
    const bares: number[] = [];
    for (let i = 0; i < 5; i++) {
      startups.push((await timed(() => cli(['--version']))).ms);
      bares.push((await timed(() => run1(process.execPath, ['-e', '0']))).ms);
    }
    const startup = median(startups);
    const bare = median(bares);
    const cold = await publish();
    const index = generated.sizes.findIndex((size) => size > 16 * 1024 && size < 64 * 1024);
    const changedPath = generated.paths[index] as string;
    const changedSize = generated.sizes[index] as number;
    await writeFile(join(tree, changedPath), fileContent(contentPool(), index, changedSize, 1));
    const changed = await publish();
    const noop = await publish();
    // The same change as a CI job that passes git's list of changed paths publishes it.
    await writeFile(join(tree, changedPath), fileContent(contentPool(), index, changedSize, 2));
    const listFile = join(work, 'changed.txt');
    await writeFile(listFile, `${changedPath}\n`);
    const listed = await publishTo(tree, 'bench', cache, CLI, ['--changed-from', listFile]);

    const manifest = changed.value.manifestBytes;
    const bytesRatio = (changed.value.uploadedBytes + manifest) / (changedSize + manifest);
    const rows: Row[] = [
      ['work dir filesystem', workDir.filesystem, '', undefined],
      ['tree', `${generated.files} files, ${mb(generated.bytes)}`, '', undefined],
      ['floor: tar -c | sha256sum', seconds(floor.ms), '', undefined],
      ['cold publish', `${seconds(cold.ms)}${cpu(cold)}, uploaded ${cold.value.uploadedBlobs} blobs ${mb(cold.value.uploadedBytes)}`, '', undefined],
      ['cold publish / floor', ratio(cold.ms / floor.ms), '<= 2', cold.ms / floor.ms <= 2],
      ['re-publish, 1 file changed', `${seconds(changed.ms)}${cpu(changed)}, hashed ${changed.value.hashedFiles} file(s), uploaded ${changed.value.uploadedBytes} B, manifest ${manifest} B sent as ${changed.value.manifestForm}`, '< 0.5 s', changed.ms < 500 && changed.value.hashedFiles === 1],
      ['re-publish bytes / (file + manifest)', ratio(bytesRatio), '< 1.2', bytesRatio < 1.2],
      ['re-publish, 1 file changed, --changed-from', `${seconds(listed.ms)}${cpu(listed)}, hashed ${listed.value.hashedFiles} file(s), listed=${listed.value.listed}`, '< 0.5 s', listed.ms < 500 && listed.value.listed],
      ['re-publish, nothing changed', `${seconds(noop.ms)}${cpu(noop)}, hashed ${noop.value.hashedFiles}, unchanged=${noop.value.unchanged}`, '< 0.5 s', noop.ms < 500],
      ['CLI start alone (codesync --version)', `${seconds(startup)} vs node -e 0 ${seconds(bare)}: +${(startup - bare).toFixed(0)} ms`, '+0.1 s', startup - bare <= 100],
      ...(abRounds > 0 ? await abRows(`${generated.files} files`, tree, join(tree, changedPath), work, abCli!, abRounds, publishTo) : []),
      ...(smallFiles > 0 ? await smallFilesRows(work, url, smallFiles, publishTo, abRounds > 0 ? (dir, file) => abRows(`small files`, dir, file, work, abCli!, abRounds, publishTo) : undefined) : []),
      ['load average (1 min) at the start', load, '', undefined],
      ['load average (1 min) at the end', `${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores`, '', undefined],
      ['cold publish phases (ms)', phases(cold.value), '', undefined],
      ['re-publish phases (ms)', phases(changed.value), '', undefined],
    ];
    printTable(rows);
  } finally {
    await server.stop();
    await workDir.dispose();
  }
}

type Row = [string, string, string, boolean | undefined];

/** `--ab-cold N`: cold publishes of both trees by this build and by `other`, interleaved (see coldAbRows). */
async function coldAbOnly(work: string, tree: string, smallFiles: number, other: string, rounds: number, load: string): Promise<Row[]> {
  const publish: ColdPublish = async (dir, url, app, cacheFile, entry) => {
    const { ms, value } = await timed(() => cliWithCpu(['publish', dir, '--server', url, '--app', app, '--create', '--selector', '', '--cache', cacheFile, '--json'], entry));
    return { ms, cpuMs: value.cpuMs };
  };
  const floor = async (): Promise<number> => (await timed(() => shell(`set -o pipefail; tar -c -C '${tree}' . | sha256sum >/dev/null`))).ms;
  const rows: Row[] = await coldAbRows('tree', tree, work, other, rounds, publish, floor, 'floor (tar -c | sha256sum)');
  if (smallFiles > 0) {
    const small = join(work, 'small');
    await writeSmallFiles(small, smallFiles);
    const copy = join(work, 'small-rsync');
    const rsync = async (): Promise<number> => {
      const { ms } = await timed(() => shell(`rsync -a '${small}/' '${copy}/'`));
      await rm(copy, { recursive: true, force: true });
      return ms;
    };
    rows.push(...(await coldAbRows('small files', small, work, other, rounds, publish, rsync, 'local rsync -a')));
  }
  rows.push(['load average (1 min) at the start', load, '', undefined], ['load average (1 min) at the end', `${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores`, '', undefined]);
  return rows;
}

/** `count` ~15-byte files, 1 000 to a directory (the small-files tree of smallFilesRows). */
async function writeSmallFiles(tree: string, count: number): Promise<void> {
  process.stderr.write(`generating ${count} small files in ${tree}...\n`);
  for (let dir = 0; dir * 1000 < count; dir++) {
    await mkdir(join(tree, `d${dir}`), { recursive: true });
    await Promise.all(Array.from({ length: Math.min(1000, count - dir * 1000) }, (_, i) => writeFile(join(tree, `d${dir}`, `f${i}.php`), `<?php // ${dir}-${i}\n`)));
  }
  await sleep(DEFAULT_RACY_WINDOW_MS + 100);
}

/** One publish: wall time, the CLI's CPU time (user + sys: what load inflates least), its --json result. */
interface Published {
  ms: number;
  cpuMs: number;
  value: PublishResult;
}

type PublishTo = (dir: string, app: string, cache: string, entry?: string, flags?: readonly string[]) => Promise<Published>;

/** Many ~15-byte files: local `rsync -a` of the tree, a cold publish of it, a one-file re-publish. */
async function smallFilesRows(work: string, url: string, count: number, publishTo: PublishTo, ab?: (dir: string, file: string) => Promise<Row[]>): Promise<Row[]> {
  const tree = join(work, 'small');
  await writeSmallFiles(tree, count);
  const rsync = await timed(() => shell(`rsync -a '${tree}/' '${join(work, 'small-rsync')}/'`));
  const cache = join(work, 'small-cache.json');
  const cold = await publishTo(tree, 'small', cache);
  await writeFile(join(tree, 'd0', 'f0.php'), '<?php // changed\n');
  const changed = await publishTo(tree, 'small', cache);
  await writeFile(join(tree, 'd0', 'f0.php'), '<?php // changed again\n');
  const listFile = join(work, 'small-changed.txt');
  await writeFile(listFile, 'd0/f0.php\n');
  const listed = await publishTo(tree, 'small', cache, CLI, ['--changed-from', listFile]);
  return [
    [`small files: local rsync -a`, seconds(rsync.ms), '', undefined],
    [`small files: cold publish`, `${seconds(cold.ms)}${cpu(cold)}, uploaded ${cold.value.uploadedBlobs} blobs`, '', undefined],
    [`small files: cold publish / rsync -a`, ratio(cold.ms / rsync.ms), '<= 1.5', cold.ms / rsync.ms <= 1.5],
    // Issue 13 target 2 is this publish plus one agent's switch in under 1 s.
    [`small files: re-publish, 1 file changed`, `${seconds(changed.ms)}${cpu(changed)}, hashed ${changed.value.hashedFiles} file(s), manifest ${changed.value.manifestBytes} B as ${changed.value.manifestForm}`, '< 1 s', changed.ms < 1000 && changed.value.hashedFiles === 1],
    [`small files: re-publish, 1 file changed, --changed-from`, `${seconds(listed.ms)}${cpu(listed)}, hashed ${listed.value.hashedFiles} file(s), listed=${listed.value.listed}`, '< 1 s', listed.ms < 1000 && listed.value.listed],
    [`small files: cold publish phases (ms)`, phases(cold.value), '', undefined],
    [`small files: re-publish phases (ms)`, phases(changed.value), '', undefined],
    ...(ab ? await ab(tree, join(tree, 'd0', 'f0.php')) : []),
  ];
}

/**
 * `rounds` one-file re-publishes of `dir` by this build and by the CLI at `other`, alternating
 * which goes first; each build publishes to an app and a cache of its own (a delta needs the
 * release its own last publish made), both made by a cold publish first.
 */
async function abRows(label: string, dir: string, changedFile: string, work: string, other: string, rounds: number, publishTo: PublishTo): Promise<Row[]> {
  const builds = [
    { name: 'this build', entry: CLI, app: `ab-this-${label.replace(/\W+/g, '-')}`, runs: [] as Published[] },
    { name: other, entry: other, app: `ab-other-${label.replace(/\W+/g, '-')}`, runs: [] as Published[] },
  ];
  for (const build of builds) await publishTo(dir, build.app, join(work, `${build.app}.cache`), build.entry);
  for (let round = 0; round < rounds; round++) {
    await writeFile(changedFile, `<?php // a/b round ${round}\n`);
    // Out of the racy window, as a CI checkout is: the file is then hashed once, not again.
    await sleep(DEFAULT_RACY_WINDOW_MS + 100);
    for (const build of round % 2 === 0 ? builds : [...builds].reverse()) build.runs.push(await publishTo(dir, build.app, join(work, `${build.app}.cache`), build.entry));
  }
  return builds.map((build) => [
    `${label}: a/b re-publish, ${build.name}`,
    `median of ${rounds}: ${seconds(median(build.runs.map((run) => run.ms)))} (CLI CPU ${seconds(median(build.runs.map((run) => run.cpuMs)))})`,
    '',
    undefined,
  ]);
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await work();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

async function cli(args: string[]): Promise<string> {
  return run1(process.execPath, [CLI, ...args]);
}

/** Runs the CLI (`entry`, default this build's) under bash, whose `times` reports the CPU its child used (user + sys, on fd 3). */
async function cliWithCpu(args: string[], entry = CLI): Promise<{ out: string; cpuMs: number }> {
  const child = spawn('bash', ['-c', '"$@"; code=$?; times >&3; exit $code', 'bash', process.execPath, entry, ...args], { stdio: ['ignore', 'pipe', 'inherit', 'pipe'] });
  let out = '';
  let times = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk));
  child.stdio[3]!.on('data', (chunk: Buffer) => (times += chunk));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`codesync ${args.join(' ')} exited ${code}`);
  // `times` prints the shell's user/sys line, then its children's: `0m1.234s 0m0.056s`.
  const children = times.trim().split('\n')[1] ?? '';
  const [user = NaN, sys = NaN] = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { out, cpuMs: (user + sys) * 1000 };
}

async function shell(script: string): Promise<string> {
  return run1('bash', ['-c', script]);
}

async function run1(command: string, args: string[]): Promise<string> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}`);
  return out;
}

function printTable(rows: Row[]): void {
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  for (const [name, value, target, ok] of rows) {
    const verdict = ok === undefined ? '' : ok ? 'ok' : 'MISSED';
    process.stdout.write(`${name.padEnd(w0)}  ${value.padEnd(w1)}  ${target.padEnd(8)}  ${verdict}\n`.trimEnd() + '\n');
  }
}

function median(samples: number[]): number {
  return [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] as number;
}

const phases = (result: PublishResult): string => Object.entries(result.timings).map(([phase, ms]) => `${phase} ${ms}`).join(', ');
const cpu = (published: Published): string => ` (CLI CPU ${seconds(published.cpuMs)})`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;
const ratio = (value: number): string => value.toFixed(2);
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
