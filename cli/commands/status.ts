import type { Command } from 'commander';
import { clientOptions, parseAppName, type ClientFlags } from '../client-flags.js';
import { addOptions, type OptionTable } from '../option-table.js';
import { progressOptions, type ProgressMode } from '../progress.js';
import { rolloutOptions, waitSeqOption, type RolloutFlags } from '../rollout/rollout-flags.js';

export const statusOptions = {
  ...clientOptions,
  app: { flags: '--app <name>', doc: 'show the rollout of this app node by node', parse: parseAppName },
  json: { flags: '--json', doc: "print the server's JSON answer as is", env: false },
  ...rolloutOptions('the release'),
  ...waitSeqOption,
  ...progressOptions,
} satisfies OptionTable;

export interface StatusFlags extends ClientFlags, RolloutFlags {
  app?: string;
  json?: boolean;
  seq?: number;
  progress: ProgressMode;
}

export function registerStatus(program: Command): void {
  const command = program.command('status').description('without --app: every app and its latest seq; with --app: which node runs which seq, lag, errors');
  addOptions(command, statusOptions).action(async (flags: StatusFlags) => (await import('../actions/status.js')).runStatus(flags));
}
