import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { spawnNode } from './codesync-process.js';

const RUNNER = fileURLToPath(new URL('./unit-runner.js', import.meta.url));

/**
 * Runs every compiled `*.unit.js` in `dir` and below in one child process (unit-runner.ts), whose
 * TAP goes straight to this file's stdout, where tap reads it: the units share one process
 * instead of paying tap's ~1.5 s of CPU to start a test file each. The child runs without tap's
 * module loader hook (spawnNode): that hook serves every import from a second thread, and once
 * in CI an import of a unit file never settled (the process waited on the hook's MessagePort until
 * tap's 10-minute timeout). This file imports no tap, so the child's TAP is the only TAP out; a
 * unit file still runs alone: `node dist/test/<path>.unit.js` or `tap <that file>`.
 */
export async function runUnits(dir: URL): Promise<void> {
  const child = spawnNode(['--enable-source-maps', RUNNER, fileURLToPath(dir)], { stdio: 'inherit' });
  // tap ends a test file that timed out with a signal: the child goes with it.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => child.kill(signal));
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  process.exitCode = code ?? (signal ? 1 : 0);
}
