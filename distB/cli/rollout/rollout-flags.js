import { durationFlag } from '../../protocol/duration.js';
import { parseInteger } from '../options.js';
/** How long `--wait` waits unless `--timeout` says otherwise. */
export const ROLLOUT_TIMEOUT_DEFAULT_MS = 5 * 60_000;
/** `--wait`, `--timeout` and `--acks`; `what` is what the nodes wait for ("the new release"). */
export function rolloutOptions(what) {
    return {
        wait: { flags: '--wait', doc: `block until every node the app selects runs ${what} or a later seq; exit 1 naming the nodes that failed or timed out` },
        timeout: { flags: '--timeout <duration>', doc: 'with --wait: give up after this long, e.g. 90s, 5m', default: ROLLOUT_TIMEOUT_DEFAULT_MS, defaultText: '5m', bareUnit: 's', parse: durationFlag('timeout', 's') },
        acks: { flags: '--acks', doc: "with --wait: also wait until each node's pods acknowledged their reload (a failed ack fails the wait)" },
    };
}
/** `--seq` of `status --wait`. */
export const waitSeqOption = { seq: { flags: '--seq <n>', doc: 'with --wait: the release to wait for (default: the latest)', parse: parseInteger('seq', 1) } };
//# sourceMappingURL=rollout-flags.js.map