import type { Command } from 'commander';
import { addClientFlags, clientFrom, interruptSignal, parseAppName, type ClientFlags } from '../client-flags.js';
import { envOption, parseInteger } from '../options.js';

interface RollbackFlags extends ClientFlags {
  app: string;
  to?: number;
}

export function registerRollback(program: Command): void {
  const command = program
    .command('rollback')
    .description("publish an older release's tree again as a new seq (default: the release before the latest)");
  addClientFlags(command)
    .addOption(envOption('--app <name>', 'app to roll back').makeOptionMandatory().argParser(parseAppName))
    .option('--to <seq>', 'seq whose tree to publish again (default: the one before the latest)', parseInteger('to', 1))
    .action(async (flags: RollbackFlags) => {
      const signal = interruptSignal();
      const client = clientFrom(flags);
      try {
        const release = await client.rollback(flags.app, flags.to, signal);
        process.stdout.write(`${release.seq} ${release.digest}\n`);
      } finally {
        await client.close();
      }
    });
}
