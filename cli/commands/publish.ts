import type { Command } from 'commander';
import { CodesyncError } from '../../protocol/errors.js';

export function registerPublish(program: Command): void {
  program
    .command('publish')
    .description('(not built yet)')
    .action(() => {
      throw new CodesyncError('INTERNAL', 'publish is not built yet');
    });
}
