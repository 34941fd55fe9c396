import { CodesyncError } from '../../protocol/errors.js';
import { clientFrom, interruptSignal } from '../client-flags.js';
/** `codesync rollback`. */
export async function runRollback(flags) {
    const signal = interruptSignal();
    const client = await clientFrom(flags);
    try {
        const to = flags.to && 'key' in flags.to ? await releaseByMeta(client, flags.app, flags.to, signal) : flags.to?.seq;
        const release = await client.rollback(flags.app, to, signal);
        process.stdout.write(`${release.seq} ${release.digest}\n`);
    }
    finally {
        await client.close();
    }
}
/**
 * The seq of the retained release whose meta has `key=value`. Several match (the same commit
 * published twice, say): the newest that is not itself a rollback, said on stderr so the choice
 * is visible in a CI log.
 */
async function releaseByMeta(client, app, match, signal) {
    const wanted = `${match.key}=${match.value}`;
    const matches = (await client.listReleases(app, signal)).filter((release) => release.meta[match.key] === match.value);
    const chosen = matches.find((release) => release.rollbackOf === undefined) ?? matches[0];
    if (!chosen)
        throw new CodesyncError('RELEASE_NOT_FOUND', `no retained release of ${app} has meta ${wanted}; see \`codesync releases --app ${app}\``);
    if (matches.length > 1)
        process.stderr.write(`${matches.length} releases match ${wanted} (seq ${seqs(matches)}); rolling back to seq ${chosen.seq}, the newest that is not a rollback\n`);
    return chosen.seq;
}
function seqs(releases) {
    return releases.map((release) => release.seq).join(', ');
}
//# sourceMappingURL=rollback.js.map