import type { Command } from 'commander';
import { CodesyncError } from '../../protocol/errors.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('(not built yet)')
    .action(() => {
      throw new CodesyncError('INTERNAL', 'status is not built yet');
    });
}
