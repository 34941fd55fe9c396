import type { Command } from 'commander';
import type { ReleaseSummary } from '../../protocol/api.js';
import { addClientFlags, clientFrom, interruptSignal, parseAppName, type ClientFlags } from '../client-flags.js';
import { envOption } from '../options.js';
import { table } from '../table.js';

interface ReleasesFlags extends ClientFlags {
  app: string;
  json?: boolean;
}

/** `codesync releases --app A`: the retained history, newest first. */
export function registerReleases(program: Command): void {
  const command = program.command('releases').description('the retained releases of an app, newest first: seq, digest, when, meta, what a rollback repeats');
  addClientFlags(command)
    .addOption(envOption('--app <name>', 'app whose history to show').makeOptionMandatory().argParser(parseAppName))
    .option('--json', "print the server's JSON answer as is")
    .action(async (flags: ReleasesFlags) => {
      const client = clientFrom(flags);
      try {
        const releases = await client.listReleases(flags.app, interruptSignal());
        process.stdout.write(flags.json ? `${JSON.stringify(releases, null, 2)}\n` : releasesTable(releases));
      } finally {
        await client.close();
      }
    });
}

function releasesTable(releases: ReleaseSummary[]): string {
  if (releases.length === 0) return 'no releases\n';
  return table(
    ['SEQ', 'DIGEST', 'CREATED', 'ROLLBACK OF', 'META'],
    releases.map((release) => [
      String(release.seq),
      release.digest.slice(0, 'sha256:'.length + 12),
      release.createdAt,
      release.rollbackOf === undefined ? '-' : String(release.rollbackOf),
      formatMeta(release.meta),
    ]),
  );
}

/** `commit=abc123 message="fix the cart"`: quoted only where a value needs it. */
export function formatMeta(meta: Record<string, string>): string {
  const pairs = Object.entries(meta).map(([key, value]) => `${key}=${/^[^\s"=]*$/.test(value) && value !== '' ? value : JSON.stringify(value)}`);
  return pairs.length > 0 ? pairs.join(' ') : '-';
}
