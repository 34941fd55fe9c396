import type { Command } from 'commander';
import type { ReleaseSummary } from '../../protocol/api.js';
import { CodesyncError } from '../../protocol/errors.js';
import type { ApiClient } from '../../protocol/client/api-client.js';
import { addClientFlags, clientFrom, interruptSignal, parseAppName, type ClientFlags } from '../client-flags.js';
import { usageError } from '../fail.js';
import { envOption } from '../options.js';

/** `--to`: a seq, or a meta key and value such as `commit=abc123`. */
type RollbackTarget = { seq: number } | { key: string; value: string };

interface RollbackFlags extends ClientFlags {
  app: string;
  to?: RollbackTarget;
}

export function registerRollback(program: Command): void {
  const command = program
    .command('rollback')
    .description("publish an older release's tree again as a new seq (default: the release before the latest)");
  addClientFlags(command)
    .addOption(envOption('--app <name>', 'app to roll back').makeOptionMandatory().argParser(parseAppName))
    .option('--to <seq|key=value>', 'seq whose tree to publish again, or a meta match such as commit=abc123 (default: the release before the latest)', parseTarget)
    .action(async (flags: RollbackFlags) => {
      const signal = interruptSignal();
      const client = clientFrom(flags);
      try {
        const to = flags.to && 'key' in flags.to ? await releaseByMeta(client, flags.app, flags.to, signal) : flags.to?.seq;
        const release = await client.rollback(flags.app, to, signal);
        process.stdout.write(`${release.seq} ${release.digest}\n`);
      } finally {
        await client.close();
      }
    });
}

function parseTarget(value: string): RollbackTarget {
  if (/^\d+$/.test(value) && Number(value) >= 1) return { seq: Number(value) };
  const match = /^([^=\s]+)=(.+)$/.exec(value);
  if (!match) throw usageError(`--to ${JSON.stringify(value)}: want a seq (42) or a meta match (commit=abc123)`);
  return { key: match[1]!, value: match[2]! };
}

/**
 * The seq of the retained release whose meta has `key=value`. Several match (the same commit
 * published twice, say): the newest that is not itself a rollback, said on stderr so the choice
 * is visible in a CI log.
 */
async function releaseByMeta(client: ApiClient, app: string, match: { key: string; value: string }, signal: AbortSignal): Promise<number> {
  const wanted = `${match.key}=${match.value}`;
  const matches = (await client.listReleases(app, signal)).filter((release) => release.meta[match.key] === match.value);
  const chosen = matches.find((release) => release.rollbackOf === undefined) ?? matches[0];
  if (!chosen) throw new CodesyncError('RELEASE_NOT_FOUND', `no retained release of ${app} has meta ${wanted}; see \`codesync releases --app ${app}\``);
  if (matches.length > 1) process.stderr.write(`${matches.length} releases match ${wanted} (seq ${seqs(matches)}); rolling back to seq ${chosen.seq}, the newest that is not a rollback\n`);
  return chosen.seq;
}

function seqs(releases: ReleaseSummary[]): string {
  return releases.map((release) => release.seq).join(', ');
}
