import type { Command } from 'commander';
import { CodesyncError } from '../../protocol/errors.js';

export function registerAgent(program: Command): void {
  program
    .command('agent')
    .description('(not built yet)')
    .action(() => {
      throw new CodesyncError('INTERNAL', 'agent is not built yet');
    });
}
