import type { Command } from 'commander';
import { CodesyncError } from '../../protocol/errors.js';

export function registerServer(program: Command): void {
  program
    .command('server')
    .description('(not built yet)')
    .action(() => {
      throw new CodesyncError('INTERNAL', 'server is not built yet');
    });
}
