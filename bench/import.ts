import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodesyncProcess } from '../test/helpers/codesync-process.js';
import { startRsyncDaemon } from '../test/helpers/rsync-daemon.js';
import { agentArgs } from './cold-sync.js';
import { log, print } from './figure-table.js';
import { rsyncPull } from './rsync-pull.js';
import { contentPool, fileContent, generateTree } from './tree-generator.js';
import { numberFlag } from './bench-args.js';

/**
 * An rsync release host, one file changed on it, delivered to N nodes two ways in the same run:
 * - codesync: the server imports from the daemon (`POST /v1/apps/{app}/imports`, as CI or the
 *   app's interval would trigger it), then N agents pull the release;
 * - rsync + cron: N nodes each run `rsync -a --delete` against the same daemon, all at once.
 * Figures: wall time from the change to the last node holding it, and bytes the release host
 * sent, read from the daemon's own transfer log (`sent N bytes` per connection) for both.
 * Args: `--files N` (10 000), `--agents N` (20).
 */
export async function run(args: string[]): Promise<void> {
  const files = numberFlag(args, 'files', 10_000);
  const nodes = numberFlag(args, 'agents', 20);
  const work = await mkdtemp(join(tmpdir(), 'codesync-bench-import-'));
  const processes: CodesyncProcess[] = [];
  const spawnCodesync = (cliArgs: string[]) => {
    const proc = new CodesyncProcess(cliArgs, { env: { CODESYNC_LOG_LEVEL: 'info' } });
    processes.push(proc);
    return proc;
  };
  let killDaemon = async () => {};
  try {
    const tree = join(work, 'release-host');
    log(`writing ${files} files...`);
    const generated = await generateTree(tree, { files });
    await mkdir(join(work, 'daemon'));
    const daemon = await startRsyncDaemon(join(work, 'daemon'), { tree: { path: tree } });
    killDaemon = () => daemon.kill();
    const source = `rsync://127.0.0.1:${daemon.port}/tree`;

    const server = spawnCodesync(['server', '--data', join(work, 'data'), '--listen', '127.0.0.1:0', '--max-concurrent-pulls', String(nodes)]);
    const url = await server.ready(120_000);
    await fetch(`${url}/v1/apps/bench`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
    log('cold import...');
    const cold = await timed(() => importNow(url, source));
    log(`cold import: ${Math.round(cold.ms)} ms`);

    log(`${nodes} agents cold sync...`);
    const agents = Array.from({ length: nodes }, (_, n) => spawnCodesync(agentArgs(url, join(work, `node-${n}`), `node-${n}`)));
    await Promise.all(agents.map((agent) => agent.ready(300_000)));
    await Promise.all(agents.map((agent) => agent.waitForLog((line) => line.msg === 'switched', 1_200_000)));

    log(`${nodes} rsync nodes cold pull...`);
    const coldRsync = await rsyncPull(daemon.port, join(work, 'rsync-0'));
    // Hardlinked copies: rsync replaces a changed file by rename, so the copies stay independent.
    for (let n = 1; n < nodes; n++) execFileSync('cp', ['-al', join(work, 'rsync-0'), join(work, `rsync-${n}`)]);

    // One file changes on the release host.
    const changed = Math.floor(files / 2);
    await writeFile(join(tree, generated.paths[changed]!), fileContent(contentPool(), changed, generated.sizes[changed]!, 1));

    log('codesync: import + propagation...');
    let mark = daemonSent(daemon.logFile).length;
    const started = performance.now();
    const imported = await importNow(url, source);
    const importMs = performance.now() - started;
    await Promise.all(agents.map((agent) => agent.waitForLog((line) => line.msg === 'switched' && line.seq === imported.seq, 300_000)));
    const codesyncMs = performance.now() - started;
    const codesyncSent = daemonSent(daemon.logFile).slice(mark);
    const importLine = await server.waitForLog((line) => line.msg === 'import published' && line.seq === imported.seq);

    log(`rsync: ${nodes} nodes pull at once...`);
    mark = daemonSent(daemon.logFile).length;
    const rsyncStarted = performance.now();
    const pulls = await Promise.all(Array.from({ length: nodes }, (_, n) => rsyncPull(daemon.port, join(work, `rsync-${n}`))));
    const rsyncMs = performance.now() - rsyncStarted;
    const rsyncSent = daemonSent(daemon.logFile).slice(mark);

    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    print('import', {
      files,
      'tree MB': +(generated.bytes / 1e6).toFixed(1),
      nodes,
      'cold import ms': Math.round(cold.ms),
      'cold rsync pull ms (one node)': Math.round(coldRsync.ms),
      'one change: import ms (request → 201)': Math.round(importMs),
      'one change: import + all agents switched ms': Math.round(codesyncMs),
      'one change: release-host connections (codesync)': codesyncSent.length,
      'one change: release-host bytes sent (codesync)': sum(codesyncSent),
      'one change: import rsync bytes received (server log)': importLine.bytesReceived,
      'one change: all rsync nodes done ms': Math.round(rsyncMs),
      'one change: release-host connections (rsync)': rsyncSent.length,
      'one change: release-host bytes sent (rsync)': sum(rsyncSent),
      'one change: rsync bytes per node (client stats)': Math.round(sum(pulls.map((pull) => pull.bytes)) / nodes),
      'release-host bytes rsync/codesync': +(sum(rsyncSent) / Math.max(1, sum(codesyncSent))).toFixed(1),
    });
  } finally {
    for (const proc of processes) await proc.stop('SIGKILL');
    await killDaemon();
    await rm(work, { recursive: true, force: true });
  }
}

async function importNow(url: string, source: string): Promise<{ seq: number; digest: string }> {
  const response = await fetch(`${url}/v1/apps/bench/imports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source }) });
  const body = (await response.json()) as { seq: number; digest: string };
  if (response.status !== 201) throw new Error(`import answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/** Bytes the daemon sent, one number per finished connection, from its `sent N bytes` log lines. */
function daemonSent(logFile: string): number[] {
  return [...readFileSync(logFile, 'utf8').matchAll(/\] sent (\d+) bytes\s+received \d+ bytes/g)].map((match) => Number(match[1]));
}
