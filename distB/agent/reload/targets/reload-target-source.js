import { isAppName } from '../../../protocol/app-name.js';
import { CodesyncError } from '../../../protocol/errors.js';
/** Commander collector for a repeatable `--reload-url app=URL`; one app may have several URLs. */
export function collectReloadUrl(value, previous = {}) {
    const eq = value.indexOf('=');
    const app = value.slice(0, Math.max(eq, 0));
    const url = value.slice(eq + 1);
    if (eq <= 0 || !isAppName(app))
        throw new CodesyncError('USAGE', `--reload-url wants app=URL, got ${JSON.stringify(value)}`);
    if (!/^https?:\/\/[^/]/.test(url) || !URL.canParse(url))
        throw new CodesyncError('USAGE', `--reload-url ${app}=: ${JSON.stringify(url)} is not an http(s) URL`);
    return { ...previous, [app]: [...(previous[app] ?? []), url] };
}
/** Targets named by `--reload-url`; each URL is its own name in acks. */
export function staticReloadTargets(urls) {
    return { targetsFor: (app) => (urls[app] ?? []).map((url) => ({ name: url, url })) };
}
/** Every target of every source, e.g. static flags plus annotated pods. */
export function combineReloadTargets(...sources) {
    return { targetsFor: async (app) => (await Promise.all(sources.map((source) => source.targetsFor(app)))).flat() };
}
//# sourceMappingURL=reload-target-source.js.map