import { isAppName } from '../../protocol/app-name.js';
import { isManifestDigest, isSeq } from '../../protocol/release-id.js';
/**
 * What the agent takes from `GET /v1/apps` and `/v1/events` before it uses a name as a directory
 * or a seq as a release: app names, seqs and digests must pass the protocol's rules. Anything
 * else is refused with a log line naming its code and never touches the disk, so a server (or
 * whatever answers in its place) cannot steer the agent outside `--root`.
 */
export function acceptedApps(body, log) {
    const list = Array.isArray(body) ? body : body?.apps;
    if (!Array.isArray(list)) {
        log.warn({ code: 'SERVER_ERROR' }, 'refused an app listing that is not a list');
        return [];
    }
    const apps = [];
    for (const raw of list) {
        const info = raw;
        const code = appProblem(info);
        if (code) {
            log.warn({ code, app: JSON.stringify(info?.name ?? null).slice(0, 300) }, 'refused an app the server listed');
            continue;
        }
        apps.push(info);
    }
    return apps;
}
/** A `release` event's data when it passes the rules, else undefined (logged). */
export function acceptedReleaseEvent(raw, log) {
    const event = raw;
    const code = typeof event !== 'object' || event === null ? 'SERVER_ERROR' : releaseProblem(event.app, event);
    if (!code)
        return event;
    log.warn({ code, app: JSON.stringify(event?.app ?? null).slice(0, 300), seq: event?.seq }, 'refused a release event');
    return undefined;
}
function appProblem(info) {
    if (typeof info !== 'object' || info === null)
        return 'SERVER_ERROR';
    if (!isAppName(info.name))
        return 'INVALID_APP_NAME';
    if (info.latest === null || info.latest === undefined)
        return undefined;
    return releaseProblem(info.name, info.latest);
}
function releaseProblem(app, release) {
    if (!isAppName(app))
        return 'INVALID_APP_NAME';
    if (typeof release !== 'object' || release === null)
        return 'SERVER_ERROR';
    if (!isSeq(release.seq))
        return 'INVALID_SEQ';
    if (!isManifestDigest(release.digest))
        return 'INVALID_SHA256';
    if (release.createdAt !== undefined && typeof release.createdAt !== 'string')
        return 'SERVER_ERROR';
    return undefined;
}
//# sourceMappingURL=server-listing.js.map