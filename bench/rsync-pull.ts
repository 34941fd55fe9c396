import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';

export interface RsyncPull {
  /** Bytes both ways. */
  bytes: number;
  ms: number;
  /** CPU of the rsync client and the receiver it forks (user + system), not the daemon's sender. */
  cpuMs: number;
}

/**
 * `rsync -a --delete` from the daemon's `module` into `into` (created if missing), timed from its
 * spawn to its exit. Run by a shell whose `times` then prints its children's CPU: rsync's own,
 * once it and its receiver are reaped.
 */
export async function rsyncPull(port: number, into: string, module = 'tree'): Promise<RsyncPull> {
  await mkdir(into, { recursive: true });
  const started = performance.now();
  const command = `rsync -a --delete --stats "rsync://127.0.0.1:${port}/${module}/" "${into}/" && times`;
  const child = spawn('sh', ['-c', command], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk));
  const [code] = (await once(child, 'exit')) as [number];
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`rsync exited ${code}`);
  const received = /Total bytes received: ([\d,.]+)/.exec(out)?.[1] ?? '0';
  const sent = /Total bytes sent: ([\d,.]+)/.exec(out)?.[1] ?? '0';
  return { bytes: Number(received.replace(/[,.]/g, '')) + Number(sent.replace(/[,.]/g, '')), ms, cpuMs: childrenCpuMs(out) };
}

/** The children's line of a POSIX shell's `times` (its last: `0m1.234s 0m0.567s`), in ms. */
function childrenCpuMs(out: string): number {
  const line = out.trim().split('\n').at(-1) ?? '';
  const [user, system] = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map(([, minutes, seconds]) => Number(minutes) * 60_000 + Number(seconds) * 1000);
  if (user === undefined || system === undefined) throw new Error(`no CPU times in the shell's output: ${JSON.stringify(line)}`);
  return user + system;
}
