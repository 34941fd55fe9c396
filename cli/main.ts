import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { reportFailure } from './fail.js';
import { commands } from './commands/index.js';
import { markRequiredOptions, oneLineUsageErrors } from './usage.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('codesync')
  .description('Ship code trees to Kubernetes nodes in seconds.')
  .version(version)
  .exitOverride();

for (const register of commands) register(program);
markRequiredOptions(program);
oneLineUsageErrors(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = reportFailure(err);
}
