import type { Command } from 'commander';
import { setMaxListeners } from 'node:events';
import { isAppName } from '../protocol/app-name.js';
import { ApiClient, resolveToken } from './api-client.js';
import { usageError } from './fail.js';
import { envOption } from './options.js';

/** Flags of every command that talks to the server as a client. */
export interface ClientFlags {
  server: string;
  token?: string;
  tokenFile?: string;
}

/** Adds `--server` (required), `--token` and `--token-file`, each also read from CODESYNC_*. */
export function addClientFlags(command: Command): Command {
  return command
    .addOption(envOption('--server <url>', 'release server URL, e.g. http://codesync:7400').makeOptionMandatory())
    .addOption(envOption('--token <token>', 'bearer token (prefer --token-file: argv is visible to other users)'))
    .addOption(envOption('--token-file <file>', 'file holding the bearer token'));
}

/** The API client for these flags. */
export function clientFrom(flags: ClientFlags, connections?: number): ApiClient {
  const options: ConstructorParameters<typeof ApiClient>[0] = { server: flags.server, token: resolveToken(flags) };
  if (connections !== undefined) options.connections = connections;
  return new ApiClient(options);
}

/** Parses `--app`: a bad name is a usage error (exit 2), not a server round trip. */
export function parseAppName(value: string): string {
  if (!isAppName(value)) throw usageError(`--app ${JSON.stringify(value)} is not a valid app name: lowercase letters, digits, '.' and '-', at most 63 characters`);
  return value;
}

/** An AbortSignal that fires on Ctrl-C or SIGTERM, so long work stops cleanly. */
export function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  // Every request and file read in flight listens on this one signal; dozens at once is normal.
  setMaxListeners(256, controller.signal);
  const stop = (): void => controller.abort(new Error('interrupted'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return controller.signal;
}
