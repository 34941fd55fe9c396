import type { Command } from 'commander';
import { CodesyncError } from '../../protocol/errors.js';

export function registerUp(program: Command): void {
  program
    .command('up')
    .description('(not built yet)')
    .action(() => {
      throw new CodesyncError('INTERNAL', 'up is not built yet');
    });
}
