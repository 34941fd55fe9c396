import type { Command } from 'commander';
import { CodesyncError } from '../../protocol/errors.js';

export function registerRollback(program: Command): void {
  program
    .command('rollback')
    .description('(not built yet)')
    .action(() => {
      throw new CodesyncError('INTERNAL', 'rollback is not built yet');
    });
}
