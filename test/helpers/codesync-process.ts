import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { START_LIMIT_MS, WAIT_LIMIT_MS } from './wait-for.js';

/** The compiled CLI entry point, as `bin/codesync` runs it. */
export const CLI = fileURLToPath(new URL('../../cli/main.js', import.meta.url));

/** The executable itself (bin/codesync), for the tests that check what a shell sees. */
export const BIN = fileURLToPath(new URL('../../../bin/codesync', import.meta.url));

/**
 * Spawns `node ARGS` without tap's process-info hook. tap loads that hook into every test file and
 * puts it in NODE_OPTIONS of every process the file spawns — after the spawn options are read
 * (process-on-spawn wraps ChildProcess#spawn), so an env with NODE_OPTIONS emptied gets it back. It
 * loads every module through a second thread and costs each server, agent or CLI process ~1-2 s
 * of CPU at start (3-4x when the machine is loaded); coverage is off, nothing reads what it
 * records. `env -u` drops the variable at exec: the child is node itself, same pid.
 */
export function spawnNode(args: string[], options: SpawnOptions): ChildProcess {
  return spawn('env', ['-u', 'NODE_OPTIONS', process.execPath, ...args], options);
}

export type LogLine = Record<string, unknown> & { msg?: string; level?: number };

/**
 * A real `codesync` child process (server, agent, ...) whose JSON log lines the test can wait on.
 * Processes that log `{"msg":"listening","url":...}` expose that url once `ready` resolves.
 */
export class CodesyncProcess {
  readonly child: ChildProcess;
  readonly logs: LogLine[] = [];
  readonly stderr: string[] = [];
  url = '';
  private waiters: { predicate: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  /**
   * `nodeArgs` go to node itself, before the CLI: NODE_OPTIONS in `env` never reaches the child
   * (spawnNode). `entry` is the CLI's entry point (default this build's; a bench compares another).
   */
  constructor(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; nodeArgs?: string[]; entry?: string } = {}) {
    this.child = spawnNode([...(options.nodeArgs ?? []), options.entry ?? CLI, ...args], {
      env: { ...process.env, CODESYNC_LOG_LEVEL: process.env.CODESYNC_LOG_LEVEL ?? 'debug', ...options.env },
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    createInterface({ input: this.child.stdout! }).on('line', (text) => this.onLine(text));
    createInterface({ input: this.child.stderr! }).on('line', (text) => this.stderr.push(text));
    this.exited = once(this.child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  }

  private onLine(text: string): void {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      line = { msg: text };
    }
    this.logs.push(line);
    if (line.msg === 'listening' && typeof line.url === 'string' && !this.url) this.url = line.url;
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.predicate(line)) return true;
      waiter.resolve(line);
      return false;
    });
  }

  /** The end of stderr a failure quotes: enough for node's fatal error report (message, native and JS stacks: ~30 lines). */
  private stderrTail(): string {
    return this.stderr.slice(-60).join('\n');
  }

  /** Resolves with the first log line (past or future) that matches; rejects on exit or timeout. */
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs = WAIT_LIMIT_MS): Promise<LogLine> {
    const seen = this.logs.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      // Each outcome undoes the others: a timer left behind by an exit kept a bench whose agent
      // had crashed alive for the rest of its 30-minute limit.
      const timer = setTimeout(() => {
        this.child.off('close', exit);
        reject(new Error(`timed out waiting for a log line (${timeoutMs} ms); stderr:\n${this.stderrTail()}`));
      }, timeoutMs);
      const exit = () => {
        clearTimeout(timer);
        // A crash's report is whole once the pipe closed: hence 'close', which comes after 'exit'.
        const { exitCode, signalCode } = this.child;
        reject(new Error(`process exited (code ${exitCode}, signal ${signalCode}) before the log line; stderr:\n${this.stderrTail()}`));
      };
      this.child.once('close', exit);
      this.waiters.push({
        predicate,
        resolve: (line) => {
          clearTimeout(timer);
          this.child.off('close', exit);
          resolve(line);
        },
      });
    });
  }

  /** Waits until the process logs `listening`; returns its url. Generous: a loaded 2-core box starts a process slowly. */
  async ready(timeoutMs = START_LIMIT_MS): Promise<string> {
    await this.waitForLog((line) => line.msg === 'listening' && typeof line.url === 'string', timeoutMs);
    return this.url;
  }

  /** Errors logged at level error or above (pino: 50+). */
  errorLogs(): LogLine[] {
    return this.logs.filter((line) => (line.level ?? 0) >= 50);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/**
 * Runs `codesync ARGS` to completion in a process of its own (`entry`: the compiled main.js, or
 * BIN); returns its exit code and output. Progress lines are off
 * (CODESYNC_PROGRESS=none) unless `env` turns them on, so stderr holds just what tests assert on.
 */
export async function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string; entry?: string } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnNode([options.entry ?? CLI, ...args], { env: { ...process.env, CODESYNC_PROGRESS: 'none', ...options.env }, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  child.stdin!.end(options.input ?? '');
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}
