import type { Command } from 'commander';
import { CodesyncError } from '../../protocol/errors.js';

export function registerPull(program: Command): void {
  program
    .command('pull')
    .description('(not built yet)')
    .action(() => {
      throw new CodesyncError('INTERNAL', 'pull is not built yet');
    });
}
