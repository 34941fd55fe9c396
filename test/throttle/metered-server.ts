import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';

/** A running server that meters pulls, and a reader of its Prometheus metrics. */
export interface MeteredServer {
  url: string;
  logs: Record<string, unknown>[];
  metric(name: string): Promise<number>;
  stop(): Promise<void>;
}

const FIXTURE = fileURLToPath(new URL('./fixtures/slot-server.js', import.meta.url));

/** Starts the stepping-stone fixture (pull meter in a bare fastify) as a child process. */
export async function startFixtureServer(t: Test, options: { maxConcurrent: number; ttlSeconds?: number; maxBandwidth?: number }): Promise<MeteredServer> {
  const child = spawn(process.execPath, [FIXTURE, String(options.maxConcurrent), String(options.ttlSeconds ?? 30), String(options.maxBandwidth ?? 0)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const logs: Record<string, unknown>[] = [];
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    await exited;
  };
  t.teardown(stop);
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (text) => {
      const line = JSON.parse(text) as Record<string, unknown>;
      logs.push(line);
      if (line.msg === 'listening') resolve(String(line.url));
    });
    child.once('exit', () => reject(new Error('fixture server exited')));
  });
  return { url, logs, metric: (name) => readMetric(url, name), stop };
}

/** One unlabelled sample of `name` from `GET /metrics`. */
export async function readMetric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`metric ${name} not exposed`);
  return Number(line.slice(name.length + 1));
}
