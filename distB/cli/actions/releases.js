import { clientFrom, interruptSignal } from '../client-flags.js';
import { table } from '../table.js';
/** `codesync releases`. */
export async function runReleases(flags) {
    const client = await clientFrom(flags);
    try {
        const releases = await client.listReleases(flags.app, interruptSignal());
        process.stdout.write(flags.json ? `${JSON.stringify(releases, null, 2)}\n` : releasesTable(releases));
    }
    finally {
        await client.close();
    }
}
function releasesTable(releases) {
    if (releases.length === 0)
        return 'no releases\n';
    return table(['SEQ', 'DIGEST', 'CREATED', 'ROLLBACK OF', 'META'], releases.map((release) => [
        String(release.seq),
        release.digest.slice(0, 'sha256:'.length + 12),
        release.createdAt,
        release.rollbackOf === undefined ? '-' : String(release.rollbackOf),
        formatMeta(release.meta),
    ]));
}
/** `commit=abc123 message="fix the cart"`: quoted only where a value needs it. */
export function formatMeta(meta) {
    const pairs = Object.entries(meta).map(([key, value]) => `${key}=${/^[^\s"=]*$/.test(value) && value !== '' ? value : JSON.stringify(value)}`);
    return pairs.length > 0 ? pairs.join(' ') : '-';
}
//# sourceMappingURL=releases.js.map