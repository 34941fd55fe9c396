import type { Command } from 'commander';
import { CodesyncError } from '../../protocol/errors.js';

export function registerWait(program: Command): void {
  program
    .command('wait')
    .description('(not built yet)')
    .action(() => {
      throw new CodesyncError('INTERNAL', 'wait is not built yet');
    });
}
