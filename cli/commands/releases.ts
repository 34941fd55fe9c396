import type { Command } from 'commander';
import { clientOptions, parseAppName, type ClientFlags } from '../client-flags.js';
import { addOptions, type OptionTable } from '../option-table.js';

export const releasesOptions = {
  ...clientOptions,
  app: { flags: '--app <name>', doc: 'app whose history to show', required: true, parse: parseAppName },
  json: { flags: '--json', doc: "print the server's JSON answer as is", env: false },
} satisfies OptionTable;

export interface ReleasesFlags extends ClientFlags {
  app: string;
  json?: boolean;
}

/** `codesync releases --app A`: the retained history, newest first. */
export function registerReleases(program: Command): void {
  const command = program.command('releases').description('the retained releases of an app, newest first: seq, digest, when, meta, what a rollback repeats');
  addOptions(command, releasesOptions).action(async (flags: ReleasesFlags) => (await import('../actions/releases.js')).runReleases(flags));
}
