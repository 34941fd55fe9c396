import { isAppName } from '../../../protocol/app-name.js';
import { CodesyncError } from '../../../protocol/errors.js';

/** An HTTP endpoint that reloads a server when POSTed to, e.g. a pod's `/-/reload`. */
export interface ReloadTarget {
  /** Who the outcome is recorded for in acks (a pod name, or the URL). */
  name: string;
  url: string;
}

/**
 * Where reload URLs come from: static `--reload-url` flags for hosts outside Kubernetes, or pods on
 * the node annotated `codesync.io/app` + `codesync.io/reload-url` (filled by the Kubernetes side).
 */
export interface ReloadTargetSource {
  targetsFor(app: string): ReloadTarget[] | Promise<ReloadTarget[]>;
}

/** Parsed `--reload-url app=URL` flags: app → URLs. */
export type ReloadUrls = Record<string, string[]>;

/** Commander collector for a repeatable `--reload-url app=URL`; one app may have several URLs. */
export function collectReloadUrl(value: string, previous: ReloadUrls = {}): ReloadUrls {
  const eq = value.indexOf('=');
  const app = value.slice(0, Math.max(eq, 0));
  const url = value.slice(eq + 1);
  if (eq <= 0 || !isAppName(app)) throw new CodesyncError('USAGE', `--reload-url wants app=URL, got ${JSON.stringify(value)}`);
  if (!/^https?:\/\/[^/]/.test(url) || !URL.canParse(url)) throw new CodesyncError('USAGE', `--reload-url ${app}=: ${JSON.stringify(url)} is not an http(s) URL`);
  return { ...previous, [app]: [...(previous[app] ?? []), url] };
}

/** Targets named by `--reload-url`; each URL is its own name in acks. */
export function staticReloadTargets(urls: ReloadUrls): ReloadTargetSource {
  return { targetsFor: (app) => (urls[app] ?? []).map((url) => ({ name: url, url })) };
}

/** Every target of every source, e.g. static flags plus annotated pods. */
export function combineReloadTargets(...sources: ReloadTargetSource[]): ReloadTargetSource {
  return { targetsFor: async (app) => (await Promise.all(sources.map((source) => source.targetsFor(app)))).flat() };
}
