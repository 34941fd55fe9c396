import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLI, CodesyncProcess } from '../test/helpers/codesync-process.js';
import type { PublishResult } from '../cli/publish/publish-tree.js';
import { DEFAULT_RACY_WINDOW_MS } from '../cli/publish/hash-cache.js';
import { contentPool, fileContent, generateTree } from './tree-generator.js';
import { numberFlag } from './bench-args.js';

/**
 * Publish cost against its floor. Builds a 10 000-file, ~200 MB tree, starts a real server, and
 * times (wall clock, the real CLI as a user runs it): the floor `tar -c DIR | sha256sum` (read and
 * hash every byte once), a cold publish, a re-publish after changing one file, and a no-op one.
 * Args: `--files N` to scale the tree.
 */
export async function run(args: string[]): Promise<void> {
  const files = numberFlag(args, 'files', 10_000);
  const work = await mkdtemp(join(tmpdir(), 'codesync-bench-publish-'));
  const tree = join(work, 'tree');
  const cache = join(work, 'hash-cache.json');
  const server = new CodesyncProcess(['server', '--data', join(work, 'data'), '--listen', '127.0.0.1:0'], { env: { CODESYNC_LOG_LEVEL: 'info' } });
  try {
    process.stderr.write(`generating ${files} files in ${tree}...\n`);
    const generated = await generateTree(tree, { files });
    // Files written within the racy window are hashed again on the next run by design; a CI
    // checkout is older than that by the time the publish runs.
    await sleep(DEFAULT_RACY_WINDOW_MS + 100);
    const url = await server.ready();

    const floor = await timed(() => shell(`set -o pipefail; tar -c -C '${tree}' . | sha256sum >/dev/null`));
    const publish = (): Promise<{ ms: number; value: PublishResult }> =>
      timed(async () => JSON.parse(await cli(['publish', tree, '--server', url, '--app', 'bench', '--create', '--selector', '', '--cache', cache, '--json'])) as PublishResult);

    const startup = await timed(() => cli(['--version']));
    const cold = await publish();
    const index = generated.sizes.findIndex((size) => size > 16 * 1024 && size < 64 * 1024);
    const changedPath = generated.paths[index] as string;
    const changedSize = generated.sizes[index] as number;
    await writeFile(join(tree, changedPath), fileContent(contentPool(), index, changedSize, 1));
    const changed = await publish();
    const noop = await publish();

    const manifest = changed.value.manifestBytes;
    const bytesRatio = (changed.value.uploadedBytes + manifest) / (changedSize + manifest);
    const rows: [string, string, string, boolean | undefined][] = [
      ['tree', `${generated.files} files, ${mb(generated.bytes)}`, '', undefined],
      ['floor: tar -c | sha256sum', seconds(floor.ms), '', undefined],
      ['cold publish', `${seconds(cold.ms)}, uploaded ${cold.value.uploadedBlobs} blobs ${mb(cold.value.uploadedBytes)}`, '', undefined],
      ['cold publish / floor', ratio(cold.ms / floor.ms), '<= 1.5', cold.ms / floor.ms <= 1.5],
      ['re-publish, 1 file changed', `${seconds(changed.ms)}, hashed ${changed.value.hashedFiles} file(s), uploaded ${changed.value.uploadedBytes} B, manifest ${manifest} B sent`, '< 0.5 s', changed.ms < 500 && changed.value.hashedFiles === 1],
      ['re-publish bytes / (file + manifest)', ratio(bytesRatio), '< 1.2', bytesRatio < 1.2],
      ['re-publish, nothing changed', `${seconds(noop.ms)}, hashed ${noop.value.hashedFiles}, unchanged=${noop.value.unchanged}`, '', undefined],
      ['CLI start alone (codesync --version)', seconds(startup.ms), '', undefined],
      ['load average (1 min) at the end', `${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores`, '', undefined],
      ['cold publish phases (ms)', phases(cold.value), '', undefined],
      ['re-publish phases (ms)', phases(changed.value), '', undefined],
    ];
    printTable(rows);
  } finally {
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await work();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

async function cli(args: string[]): Promise<string> {
  return run1(process.execPath, [CLI, ...args]);
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

function printTable(rows: [string, string, string, boolean | undefined][]): void {
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  for (const [name, value, target, ok] of rows) {
    const verdict = ok === undefined ? '' : ok ? 'ok' : 'MISSED';
    process.stdout.write(`${name.padEnd(w0)}  ${value.padEnd(w1)}  ${target.padEnd(8)}  ${verdict}\n`.trimEnd() + '\n');
  }
}

const phases = (result: PublishResult): string => Object.entries(result.timings).map(([phase, ms]) => `${phase} ${ms}`).join(', ');
const seconds = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;
const ratio = (value: number): string => value.toFixed(2);
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
