import type { Command } from 'commander';
import { envOption, parseInteger, parseSeconds } from '../options.js';

/** Flags of `publish --wait` and `status --wait`. */
export interface RolloutFlags {
  wait?: boolean;
  timeout: number;
  acks?: boolean;
}

/** How long `--wait` waits unless `--timeout` says otherwise. */
export const ROLLOUT_TIMEOUT_DEFAULT_MS = 5 * 60_000;

/** Adds `--wait`, `--timeout` and `--acks` (and `--seq` for status). */
export function addRolloutFlags(command: Command, what: string, withSeq: boolean): Command {
  command
    .addOption(envOption('--wait', `block until every node the app selects runs ${what} or a later seq; exit 1 naming the nodes that failed or timed out`))
    .addOption(envOption('--timeout <duration>', 'with --wait: give up after this long, e.g. 90s, 5m (a plain number is seconds)').default(ROLLOUT_TIMEOUT_DEFAULT_MS, '5m').argParser(parseSeconds('timeout')))
    .addOption(envOption('--acks', "with --wait: also wait until each node's pods acknowledged their reload (a failed ack fails the wait)"));
  if (withSeq) command.addOption(envOption('--seq <n>', 'with --wait: the release to wait for (default: the latest)').argParser(parseInteger('seq', 1)));
  return command;
}
