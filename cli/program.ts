import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { commands } from './commands/index.js';
import { markRequiredOptions, oneLineUsageErrors } from './usage.js';

/** The `codesync` program with every command registered: main.ts runs it, tests read its options. */
export function buildProgram(): Command {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const program = new Command('codesync').description('Ship code trees to Kubernetes nodes in seconds.').version(version).exitOverride();
  for (const register of commands) register(program);
  markRequiredOptions(program);
  oneLineUsageErrors(program);
  return program;
}
