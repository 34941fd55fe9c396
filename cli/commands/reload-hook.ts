import type { Command } from 'commander';
import { CodesyncError } from '../../protocol/errors.js';

export function registerReloadHook(program: Command): void {
  program
    .command('reload-hook')
    .description('(not built yet)')
    .action(() => {
      throw new CodesyncError('INTERNAL', 'reload-hook is not built yet');
    });
}
